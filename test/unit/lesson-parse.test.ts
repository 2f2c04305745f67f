import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {loadCourse} from '../../source/lessons/load.js';
import {LessonError, parseCondition, parseLesson} from '../../source/lessons/parse.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const read = (file: string) => readFileSync(path.join(fixtures, file), 'utf8');

describe('parseLesson', () => {
	it('reads the front matter, the steps and their kinds', () => {
		const lesson = parseLesson('lab.md', read('course/lab.md'));
		expect(lesson).toMatchObject({id: 'lab', title: 'Lab lesson', lab: true});
		expect(lesson.steps.map(step => [step.kind, step.title])).toEqual([
			['read', 'Before'],
			['wait', 'Two probes'],
			['prompt', 'Drop'],
			['wait', 'After the drop'],
			['wait', 'Timed out'],
			['prompt', 'Restart'],
		]);
		expect(lesson.steps[1]).toEqual({
			kind: 'wait',
			title: 'Two probes',
			text: 'Wait for two probes.',
			until: {type: 'packet', kind: 'keepalive', from: 'server', count: 2},
		});
		expect(lesson.steps[2]).toEqual({kind: 'prompt', title: 'Drop', text: 'Press d.', key: 'd', action: 'drop-on'});
		expect(lesson.steps[3]).toMatchObject({until: {type: 'packet', kind: 'keepalive', from: 'server', count: 1, afterDrop: true}});
		expect(lesson.steps[4]).toMatchObject({until: {type: 'socket-error', side: 'server', code: 'ETIMEDOUT'}});
	});

	it('joins soft-wrapped lines, keeps list items and code blocks', () => {
		const lesson = parseLesson('intro.md', read('course/intro.md'));
		expect(lesson.lab).toBe(false);
		expect(lesson.steps).toHaveLength(2);
		expect(lesson.steps[0]!.text).toBe(
			[
				'A paragraph written over three lines in the source.',
				'',
				'- a list item that wraps',
				'- another item',
				'',
				'```c',
				'int x = 1;',
				'## not a heading inside code',
				'```',
			].join('\n'),
		);
	});

	it('turns a question\'s answer letter into an index', () => {
		const lesson = parseLesson('intro.md', read('course/intro.md'));
		expect(lesson.steps[1]).toEqual({
			kind: 'question',
			title: 'Pick one',
			text: 'Which one?',
			choices: ['one', 'two', 'three: with a colon'],
			answer: 1,
			explain: 'Two it is.',
		});
	});

	const bad: Array<[string, string]> = [
		['no-front-matter.md', 'no-front-matter.md:1: the file must start with YAML front matter between `---` lines (id, title, lab)'],
		['missing-title.md', 'missing-title.md:1: the front matter has no `title`'],
		['bad-id.md', 'bad-id.md:1: `id` must be lowercase letters, digits and dashes, like "cut-the-wire"; got "Bad Id"'],
		['unknown-kind.md', 'unknown-kind.md:11: step 2 "Second": unknown step kind "wiat" (expected read, wait, prompt, question)'],
		[
			'unknown-condition.md',
			'unknown-condition.md:7: step 1 "Wait": unknown condition "probe-sent" (expected ready, sockopt, packet, drop, socket-error, probes-out)',
		],
		[
			'unknown-segment-kind.md',
			'unknown-segment-kind.md:7: step 1 "Wait": unknown segment kind "keepalve" in `packet keepalve from server` (expected syn, syn-ack, ack, data, keepalive, keepalive-ack, rst, fin)',
		],
		['bad-count.md', 'bad-count.md:7: step 1 "Wait": the count in `packet keepalive count 0` must be a whole number ≥ 1; got "0"'],
		['answer-out-of-range.md', 'answer-out-of-range.md:10: step 2 "Quiz": answer "e" is out of range: there are 3 choices (a–c)'],
		['answer-not-a-letter.md', 'answer-not-a-letter.md:6: step 1 "Quiz": `answer` must be the letter of the right choice, a–b; got 1'],
		['wait-without-lab.md', 'wait-without-lab.md:6: step 1 "Wait": a wait step needs the live lab: set `lab: true` in the front matter'],
		[
			'unknown-placeholder.md',
			'unknown-placeholder.md:6: step 1 "Oops": unknown placeholder {{probe.relseq}} (see "Facts" in lessons/FORMAT.md)',
		],
		['unknown-action.md', 'unknown-action.md:7: step 1 "Press": unknown action "drop" (expected drop-on, drop-off, restart)'],
		['unknown-field.md', 'unknown-field.md:7: step 1 "Wait": unknown field `timeout` for a wait step (expected until)'],
		['text-before-step.md', 'text-before-step.md:6: text before the first step: start each step with a `## ` heading'],
		['no-steps.md', 'no-steps.md:5: the lesson has no steps: start each step with a `## ` heading'],
		['empty-step.md', 'empty-step.md:6: step 1 "Nothing here": the step has no text'],
		['missing-kind.md', 'missing-kind.md:9: step 1 "Wait": the step block needs `kind:` (read, wait, prompt, question)'],
		['misplaced-step-block.md', 'misplaced-step-block.md:11: step 1 "Wait": a `step` block must come right after the step\'s heading'],
		['unclosed-fence.md', 'unclosed-fence.md:8: the code block opened with ``` here is never closed'],
	];

	it.each(bad)('rejects %s with a message naming file, step and problem', (file, message) => {
		const parse = () => parseLesson(file, read(`bad-lessons/${file}`));
		expect(parse).toThrow(LessonError);
		expect(parse).toThrow(message);
		try {
			parse();
		} catch (error) {
			expect((error as Error).message).toBe(message);
			expect((error as LessonError).file).toBe(file);
		}
	});
});

describe('parseCondition', () => {
	it.each([
		['ready', {type: 'ready'}],
		['drop', {type: 'drop'}],
		['sockopt server', {type: 'sockopt', side: 'server'}],
		['packet rst', {type: 'packet', kind: 'rst', count: 1}],
		['packet keepalive-ack from client count 2', {type: 'packet', kind: 'keepalive-ack', from: 'client', count: 2}],
		['packet keepalive after drop count 3', {type: 'packet', kind: 'keepalive', count: 3, afterDrop: true}],
		['socket-error client', {type: 'socket-error', side: 'client'}],
		['socket-error client ECONNRESET', {type: 'socket-error', side: 'client', code: 'ECONNRESET'}],
		['probes-out server 2', {type: 'probes-out', side: 'server', atLeast: 2}],
	])('parses `%s`', (text, condition) => {
		expect(parseCondition(text)).toEqual(condition);
	});

	it.each([
		['sockopt', '(condition):1: `sockopt` needs a side (server or client): `sockopt server`'],
		['packet keepalive from nobody', '(condition):1: unknown side "nobody" in `packet keepalive from nobody` (expected server or client)'],
		['drop now', '(condition):1: unexpected "now" in condition `drop now`'],
		['socket-error server timeout', '(condition):1: "timeout" in `socket-error server timeout` is not an errno name like ETIMEDOUT'],
		[
			'packet keepalive before drop',
			'(condition):1: unexpected "before" in condition `packet keepalive before drop` (expected from <side>, after drop, count <n>)',
		],
	])('rejects `%s`', (text, message) => {
		expect(() => parseCondition(text)).toThrow(message);
	});
});

describe('loadCourse', () => {
	it('loads the manifest\'s lessons in order', () => {
		const course = loadCourse(path.join(fixtures, 'course'));
		expect(course.title).toBe('Fixture course');
		expect(course.lessons.map(lesson => lesson.id)).toEqual(['intro', 'lab']);
	});

	it('rejects a duplicate lesson id', () => {
		expect(() => loadCourse(path.join(fixtures, 'bad-course-duplicate-id'))).toThrow(
			'bad-course-duplicate-id/index.yaml: lesson id "same" is used by both one.md and two.md',
		);
	});

	it('rejects a missing lesson file', () => {
		const dir = path.join(fixtures, 'bad-course-missing-file');
		expect(() => loadCourse(dir)).toThrow(`bad-course-missing-file/index.yaml: lesson file "gone.md" does not exist in ${dir}`);
	});

	it('rejects a folder without a manifest', () => {
		const dir = path.join(fixtures, 'bad-lessons');
		expect(() => loadCourse(dir)).toThrow(`bad-lessons/index.yaml: no course manifest in ${dir}`);
	});
});
