import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Nodes} from 'mdast';
import {toString as plainText} from 'mdast-util-to-string';
import {describe, expect, it} from 'vitest';
import {conditionText, parseCondition} from '../../source/lessons/condition.js';
import {factsIn} from '../../source/lessons/lesson-tree.js';
import {defaultLessonsDir, labSysctls} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import {parseLesson, readLesson} from '../../source/lessons/parse.js';
import {LessonError} from '../../source/lessons/problem.js';
import {markdownLines} from '../../source/ui/lesson/markdown.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const read = (file: string) => readFileSync(path.join(fixtures, file), 'utf8');
/** Step text as the pane shows it, wide enough that nothing wraps. */
const shown = (nodes: readonly Nodes[]) => markdownLines(nodes as never, {}, 200).map(line => line.map(span => span.text).join(''));
/** A lesson file of one read step with this text. */
const lessonWith = (text: string) => `---\nid: one\ntitle: One\nlab: true\n---\n\n## Step\n\n${text}\n`;

describe('parseLesson', () => {
	it('reads the front matter, the steps and their kinds', () => {
		const lesson = parseLesson('lab.md', read('course/lab.md'));
		expect(lesson).toMatchObject({id: 'lab', file: 'lab.md', title: 'Lab lesson', lab: true});
		expect(lesson.steps.map(step => [step.kind, step.title, step.line])).toEqual([
			['read', 'Before', 7],
			['wait', 'Two probes', 11],
			['prompt', 'Drop', 20],
			['wait', 'After the drop', 30],
			['wait', 'Timed out', 39],
			['prompt', 'Restart', 48],
		]);
		expect(lesson.steps[1]).toMatchObject({kind: 'wait', until: {type: 'packet', kind: 'keepalive', from: 'server', count: 2}});
		expect(shown(lesson.steps[1]!.text)).toEqual(['Wait for two probes.']);
		expect(lesson.steps[2]).toMatchObject({kind: 'prompt', key: 'd', action: 'drop-on'});
		expect(lesson.steps[3]).toMatchObject({until: {type: 'packet', kind: 'keepalive', from: 'server', count: 1, afterDrop: true}});
		expect(lesson.steps[4]).toMatchObject({until: {type: 'socket-error', side: 'server', code: 'ETIMEDOUT'}});
	});

	it('joins soft-wrapped lines, keeps list items and code blocks', () => {
		const lesson = parseLesson('intro.md', read('course/intro.md'));
		expect(lesson.lab).toBe(false);
		expect(lesson.steps).toHaveLength(2);
		expect(shown(lesson.steps[0]!.text)).toEqual([
			'A paragraph written over three lines in the source.',
			'',
			'• a list item that wraps',
			'• another item',
			'',
			'int x = 1;',
			'## not a heading inside code',
		]);
	});

	it('ends a code block at a longer closing fence, as Markdown does, and joins the paragraph after it', () => {
		const lesson = parseLesson('fence.md', lessonWith('```\ncode\n````\nafter the\nblock\n\n## Next\n\nText.'));
		expect(lesson.steps.map(step => step.title)).toEqual(['Step', 'Next']);
		expect(shown(lesson.steps[0]!.text)).toEqual(['code', 'after the block']);
	});

	it('turns a question\'s answer letter into an index, its choices and explanation into Markdown', () => {
		const lesson = parseLesson('intro.md', read('course/intro.md'));
		const step = lesson.steps[1]!;
		expect(step).toMatchObject({kind: 'question', title: 'Pick one', answer: 1});
		if (step.kind !== 'question') return;
		expect(shown(step.text)).toEqual(['Which one?']);
		expect(step.choices.map(choice => plainText(choice))).toEqual(['one', 'two', 'three: with a colon']);
		expect(shown(step.explain)).toEqual(['Two it is.']);
	});

	it('makes each {{placeholder}} a fact node of the tree, on its own line, also in inline code', () => {
		const lesson = parseLesson('facts.md', lessonWith('Port {{ lab.port }},\nsince `{{drop.command}}` ran.\n\n```sh\n{{lab.port}} stays as written\n```'));
		const facts = factsIn(lesson.steps[0]!.text);
		expect(facts.map(fact => [fact.name, fact.code ?? false, fact.position?.start.line])).toEqual([
			['lab.port', false, 9],
			['drop.command', true, 10],
		]);
	});

	it('reads the lab namespace\'s sysctls from the front matter', () => {
		const text = '---\nid: one\ntitle: One\nsysctls:\n  tcp_keepalive_time: 600\n  tcp_keepalive_probes: 5\n---\n\n## Step\n\nText.\n';
		expect(parseLesson('one.md', text).sysctls).toEqual({idle: 600, probes: 5});
		expect(labSysctls(loadCourse(defaultLessonsDir()))).toEqual({idle: 600, intvl: 30, probes: 5});
	});

	it('reads every step of the shipped lessons, as the line scanner it replaced did', () => {
		const course = loadCourse(defaultLessonsDir());
		// Counted by the hand-written scanner before the lessons were parsed into a tree.
		// The article's seven lessons; those after them came with the tree.
		expect(course.lessons.slice(0, 7).map(lesson => lesson.steps.length)).toEqual([7, 7, 9, 6, 7, 8, 6]);
	});

	it('reports every bad step of a file, in line order, not just the first', () => {
		const text = lessonWith('{{nope}}\n\n## Two\n\n```step\nkind: wiat\n```\n\nText.\n\n## Three\n\n> quoted');
		expect(readLesson('many.md', text).problems).toEqual([
			{file: 'many.md', line: 9, message: 'step 1 "Step": unknown placeholder {{nope}} (see "Facts" in lessons/FORMAT.md)'},
			{file: 'many.md', line: 14, message: 'step 2 "Two": unknown step kind "wiat" (expected read, wait, prompt, question)'},
			{
				file: 'many.md',
				line: 21,
				message: 'step 3 "Three": the lesson pane does not show a block quote (it shows paragraphs, lists, headings, code blocks, `code`, *emphasis* and **strong**)',
			},
		]);
	});

/** Each file of the bad-lessons course, and its one problem. */
	const bad: Array<[string, string]> = [
		['answer-not-a-letter.md', 'answer-not-a-letter.md:11: step 1 "Quiz": `answer` must be the letter of the right choice, a–b; got 1'],
		['answer-out-of-range.md', 'answer-out-of-range.md:15: step 2 "Quiz": answer "e" is out of range: there are 3 choices (a–c)'],
		['bad-count.md', 'bad-count.md:11: step 1 "Wait": the count in `packet keepalive count 0` must be a whole number ≥ 1; got "0"'],
		['bad-id.md', 'bad-id.md:2: `id` must be lowercase letters, digits and dashes, like "cut-the-wire"; got "Bad Id"'],
		['bad-sysctl.md', 'bad-sysctl.md:5: `tcp_keepalive_time` must be a whole number from 1 to 32767; got 0'],
		[
			'bad-yaml.md',
			'bad-yaml.md:11: step 1 "Wait": the step block is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
		],
		['empty-step.md', 'empty-step.md:6: step 1 "Nothing here": the step has no text'],
		[
			'html.md',
			'html.md:8: step 1 "Step": the lesson pane does not show HTML: put `<…>` in backticks, or write \\< (it shows paragraphs, lists, headings, code blocks, `code`, *emphasis* and **strong**)',
		],
		['lab-fact-without-lab.md', 'lab-fact-without-lab.md:8: step 1 "Step": {{probe.t}} comes from the lab: it needs `lab: true` in the front matter'],
		['misplaced-step-block.md', 'misplaced-step-block.md:11: step 1 "Wait": a `step` block must come right after the step\'s heading'],
		['missing-kind.md', 'missing-kind.md:9: step 1 "Wait": the step block needs `kind:` (read, wait, prompt, question)'],
		['missing-title.md', 'missing-title.md:1: the front matter has no `title`'],
		['no-front-matter.md', 'no-front-matter.md:1: the file must start with YAML front matter between `---` lines (id, title, lab)'],
		['no-steps.md', 'no-steps.md:5: the lesson has no steps: start each step with a `## ` heading'],
		['text-before-step.md', 'text-before-step.md:6: text before the first step: start each step with a `## ` heading'],
		['unclosed-fence.md', 'unclosed-fence.md:8: the code block opened with ``` here is never closed'],
		['unknown-action.md', 'unknown-action.md:12: step 1 "Press": unknown action "drop" (expected drop-on, drop-off, restart, keepalive-on, keepalive-off, send-client, send-server, freeze, resume)'],
		[
			'unknown-condition.md',
			'unknown-condition.md:11: step 1 "Wait": unknown condition "probe-sent" (expected ready, sockopt, packet, drop, socket-error, probes-out, retransmits, app, peer, conntrack, invalid)',
		],
		['unknown-field.md', 'unknown-field.md:12: step 1 "Wait": unknown field `timeout` for a wait step (expected until)'],
		['unknown-kind.md', 'unknown-kind.md:14: step 2 "Second": unknown step kind "wiat" (expected read, wait, prompt, question)'],
		['unknown-placeholder.md', 'unknown-placeholder.md:8: step 1 "Oops": unknown placeholder {{probe.relseq}} (see "Facts" in lessons/FORMAT.md)'],
		[
			'unknown-segment-kind.md',
			'unknown-segment-kind.md:11: step 1 "Wait": unknown segment kind "keepalve" in `packet keepalve from server` (expected syn, syn-ack, ack, data, keepalive, keepalive-ack, rst, fin, retransmission)',
		],
		['wait-without-lab.md', 'wait-without-lab.md:6: step 1 "Wait": a wait step needs the live lab: set `lab: true` in the front matter'],
	];

	it.each(bad)('rejects %s with its one problem: file, line, step and what is wrong', (file, message) => {
		const text = read(`bad-lessons/${file}`);
		expect(readLesson(file, text).problems).toHaveLength(1);
		try {
			parseLesson(file, text);
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(LessonError);
			expect((error as Error).message).toBe(message);
			expect((error as LessonError).file).toBe(file);
		}
	});

	it('lists every bad lesson in the bad course', () => {
		expect(read('bad-lessons/index.yaml')).toContain(bad.map(([file]) => `  - ${file}`).join('\n'));
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
	])('parses `%s`, and writes it back so (for the translation check\'s messages)', (text, condition) => {
		expect(parseCondition(text)).toEqual(condition);
		expect(conditionText(parseCondition(text))).toBe(text);
	});

	it.each([
		['sockopt', '(condition):1: `sockopt` needs a side (server or client): `sockopt server`'],
		['packet keepalive from nobody', '(condition):1: unknown side "nobody" in `packet keepalive from nobody` (expected server or client)'],
		['drop now', '(condition):1: unexpected "now" in condition `drop now`'],
		['socket-error server timeout', '(condition):1: "timeout" in `socket-error server timeout` is not an errno name like ETIMEDOUT'],
		[
			'packet keepalive before drop',
			'(condition):1: unexpected "before" in condition `packet keepalive before drop` (expected from <side>, after drop, at router-in|router-out, count <n>)',
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

	it.each([
		['bad-course-duplicate-id', 'index.yaml:4: lesson id "same" is used by both one.md and two.md'],
		['bad-course-missing-file', 'index.yaml:4: lesson file "gone.md" does not exist'],
		['bad-course-sysctl-clash', 'index.yaml:4: two.md sets tcp_keepalive_time to 300, one.md to 600: the lessons share one lab namespace'],
	])('rejects %s at the manifest\'s line', (dir, message) => {
		expect(() => loadCourse(path.join(fixtures, dir))).toThrow(new LessonError([{file: 'index.yaml', line: 4, message: message.slice('index.yaml:4: '.length)}]));
	});

	it('rejects a folder without a manifest, naming the fix', () => {
		const dir = path.join(fixtures, 'bad-course-no-manifest');
		expect(() => loadCourse(dir)).toThrow(`index.yaml:1: ${dir} has no index.yaml, so it holds no course: give the folder that holds the course's index.yaml`);
	});
});
