import {describe, expect, it} from 'vitest';
import {parseCheck} from '../../source/exercises/parse-check.js';
import {readExercise} from '../../source/exercises/parse-exercise.js';
import {formatProblem} from '../../source/lessons/problem.js';
import {checkLessons, fixture} from '../helpers/check-lessons.js';

/** A valid exercise file; `change` rewrites its front matter lines. */
function exerciseFile(change: (lines: string[]) => string[] = lines => lines): string {
	const front = [
		'id: detect',
		'title: Detect',
		'goal: The RST within 20 s of the drop.',
		'settings:',
		'  idle: 1..30',
		'  probes: 3..10',
		'fault:',
		'  - drop after 1 answered probe',
		'check:',
		'  - rst within 20 s of drop',
		'  - socket-error server ETIMEDOUT',
		'hints:',
		'  - First hint.',
		'  - Second hint.',
		'solution:',
		'  idle: 4',
		'  intvl: 3',
		'  probes: 3',
		'  why: Because.',
	];
	return `---\n${change(front).join('\n')}\n---\n\nThe situation.\n`;
}

const problems = (source: string) => readExercise('x.md', source).problems.map(problem => formatProblem(problem));
const replace = (from: string, to: string | string[]) => (lines: string[]) => lines.flatMap(line => (line === from ? to : line));

describe('readExercise', () => {
	it('reads the front matter and the text; knobs left out keep the kernel\'s range', () => {
		const {exercise, problems} = readExercise('x.md', exerciseFile());
		expect(problems).toEqual([]);
		expect(exercise).toMatchObject({
			id: 'detect',
			goal: 'The RST within 20 s of the drop.',
			settings: {idle: {min: 1, max: 30}, intvl: {min: 1, max: 32_767}, probes: {min: 3, max: 10}},
			fault: [{after: 1}],
			check: [
				{text: 'rst within 20 s of drop', check: {type: 'within', moment: {type: 'rst'}, seconds: 20, anchor: {type: 'drop'}}},
				{text: 'socket-error server ETIMEDOUT', check: {type: 'condition', condition: {type: 'socket-error', side: 'server', code: 'ETIMEDOUT'}}},
			],
			solution: {idle: 4, intvl: 3, probes: 3},
		});
		expect(exercise!.hints).toHaveLength(2);
		expect(exercise!.lines).toMatchObject({id: 2, check: 10, solution: 16});
	});

	it.each([
		['an unknown field', replace('title: Detect', ['title: Detect', 'level: 3']), 'x.md:4: unknown front matter field `level` (expected id, title, goal, settings, fault, check, recorded, hints, solution)'],
		['a fault it cannot read', replace('  - drop after 1 answered probe', '  - drop when bored'), 'x.md:9: cannot read the fault `drop when bored` (expected `drop after handshake` or `drop after N answered probe(s)`, optionally with ` for S s`)'],
		['an unknown check', replace('  - rst within 20 s of drop', '  - rst-soon'), 'x.md:11: unknown check "rst-soon" (expected rst, probe, probe-gaps, connection, survives, timeline, or a lesson condition: ready, sockopt, packet, drop, socket-error, probes-out, retransmits, app, peer, conntrack, invalid)'],
		['a lesson condition that is wrong', replace('  - socket-error server ETIMEDOUT', '  - socket-error router'), 'x.md:12: unknown side "router" in `socket-error router` (expected server or client)'],
		['a setting outside the kernel\'s range', replace('  idle: 1..30', '  idle: 0..30'), 'x.md:5: `idle` must be `min..max` (or one number) within the kernel\'s range 1..32767; got "0..30"'],
		['a solution outside the settings', replace('  probes: 3', '  probes: 2'), "x.md:16: the solution's probes 2 is outside its settings (3..10)"],
		['no hints', (lines: string[]) => lines.filter(line => !line.endsWith(' hint.')).map(line => (line === 'hints:' ? 'hints: []' : line)), 'x.md:13: `hints` must be a non-empty list'],
		['a time aimed after the drop', replace('  - rst within 20 s of drop', '  - rst near 20 s after drop'), 'x.md:11: `rst near 20 s after drop`: a time after the drop is not the kernel\'s to aim (the drop comes when the lab reacts); aim after connect or last-answer'],
		['a drop to survive that is never lifted', replace('  - rst within 20 s of drop', '  - survives drop 1'), 'x.md:11: drop 1 is never lifted, so nothing can survive it: give it `for S s`'],
		['a check of a drop the plan has not', replace('  - rst within 20 s of drop', '  - rst within 20 s of drop 2'), 'x.md:11: there is no drop 2: the fault plan has 1 drop'],
		['the model asked about a drop that is lifted', (lines: string[]) => replace('  - rst within 20 s of drop', '  - rst near 12 s after last-answer')(replace('  - drop after 1 answered probe', '  - drop after 1 answered probe for 8 s')(lines)), 'x.md:11: this check compares the run with the model, which predicts runs with one drop that stays: give `fault:` one drop without `for`'],
		['a drop that stays, before another', replace('  - drop after 1 answered probe', ['  - drop after 1 answered probe', '  - drop after 2 answered probes']), 'x.md:9: a drop that is never lifted can only be the last one (add `for S s`)'],
		['a timeline check without the recorded run', replace('  - rst within 20 s of drop', '  - timeline matches recorded'), 'x.md:11: this check needs `recorded:`, the recorded run to compare with'],
	])('refuses %s, at its line', (_what, change, message) => {
		expect(problems(exerciseFile(change))).toEqual([message]);
	});

	it('refuses a file without front matter or text, and HTML in a hint', () => {
		expect(problems('The situation.\n')).toEqual(['x.md:1: the file must start with YAML front matter between `---` lines (id, title, goal, …)']);
		expect(problems(exerciseFile().replace('\nThe situation.\n', ''))).toEqual(['x.md:22: the exercise has no text: describe the situation below the front matter']);
		expect(problems(exerciseFile(replace('  - First hint.', '  - Look at <b>this</b>.')))).toEqual([
			'x.md:14: the lesson pane does not show HTML: put `<…>` in backticks, or write \\< (it shows paragraphs, lists, headings, code blocks, `code`, *emphasis* and **strong**)',
		]);
	});
});

describe('parseCheck', () => {
	const place = {file: 'x.md', line: 1};
	it.each([
		['probe 2 within 5.5 s of connect', {type: 'within', moment: {type: 'probe', n: 2}, seconds: 5.5, anchor: {type: 'connect'}}],
		['rst within 16 s of drop 2', {type: 'within', moment: {type: 'rst'}, seconds: 16, anchor: {type: 'drop', n: 2}}],
		['rst near 12 s after last-answer', {type: 'near', moment: {type: 'rst'}, seconds: 12, anchor: {type: 'last-answer'}}],
		['probe-gaps at least 5 s', {type: 'probe-gaps', seconds: 5}],
		['connection   survives', {type: 'survives'}],
		['survives drop 1', {type: 'survives-drop', n: 1}],
		['timeline matches recorded', {type: 'timeline'}],
		['packet keepalive from server after drop count 3', {type: 'condition', condition: {type: 'packet', kind: 'keepalive', from: 'server', afterDrop: true, count: 3}}],
	])('reads `%s`', (text, check) => {
		expect(parseCheck(text, place)).toEqual(check);
	});

	it.each(['rst within 20 s after drop', 'rst near 0 s after connect', 'probe 0 within 3 s of connect', 'rst within 20 of drop'])('refuses `%s`, naming the forms', text => {
		expect(() => parseCheck(text, place)).toThrow(/cannot read the check|not the kernel's to aim/);
	});
});

describe('check-lessons on exercises', () => {
	it('lists a bad exercise\'s problems as file:line: message', () => {
		const {code, lines} = checkLessons(fixture('bad-course-exercise'));
		expect(code).toBe(1);
		expect(lines).toEqual([
			'test/fixtures/bad-course-exercise/wrong.md:9: cannot read the fault `drop after 1 answered probe for ever` (expected `drop after handshake` or `drop after N answered probe(s)`, optionally with ` for S s`)',
			'test/fixtures/bad-course-exercise/wrong.md:12: `recorded` must be `probes:` (the probes\' times, rising, in seconds after the handshake) and `rst:` (the RST\'s, after the last probe)',
			'test/fixtures/bad-course-exercise/index.yaml:6: exercise file "gone.md" does not exist',
			'3 problems in test/fixtures/bad-course-exercise',
		]);
	});

	it('checks a translation\'s exercises against the original\'s: order, plan, check, solution, hints', () => {
		const {code, lines} = checkLessons(fixture('bad-translation-exercise'));
		expect(code).toBe(1);
		expect(lines).toEqual([
			'test/fixtures/bad-translation-exercise/zh/one.md:9: check `rst within 15 s of drop`, where the original (one.md:9) has check `rst within 20 s of drop`',
			'test/fixtures/bad-translation-exercise/zh/one.md:11: 1 hint, where the original (one.md:11) has 2 hints',
			'test/fixtures/bad-translation-exercise/two.md:1: exercise "two" has no zh translation: zh/index.yaml lists no exercise with this id',
			'3 problems in test/fixtures/bad-translation-exercise',
		]);
	});
});
