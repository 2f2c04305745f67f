import {describe, expect, it} from 'vitest';
import {parseCheck} from '../../source/exercises/parse-check.js';
import {readExercise} from '../../source/exercises/parse-exercise.js';
import {exerciseTranslationProblems} from '../../source/exercises/translation-problems.js';
import {formatProblem} from '../../source/lessons/problem.js';
import {checkLessons, fixture} from '../helpers/check-lessons.js';

/** An exercise file of these front matter lines and a line of text. */
const withFront = (front: string[]): string => `---\n${front.join('\n')}\n---\n\nThe situation.\n`;

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
	return withFront(change(front));
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
		['an unknown field', replace('title: Detect', ['title: Detect', 'level: 3']), 'x.md:4: unknown front matter field `level` (expected id, title, goal, scenario, server-keepalive, nat-timeout, settings, fault, check, recorded, hints, solution)'],
		['a fault it cannot read', replace('  - drop after 1 answered probe', '  - drop when bored'), 'x.md:9: cannot read the fault `drop when bored` (expected `drop after handshake` or `drop after N answered probe(s)`, optionally with ` for S s`, or `client writes "LINE" after S s`)'],
		['an unknown check', replace('  - rst within 20 s of drop', '  - rst-soon'), 'x.md:11: unknown check "rst-soon" (expected rst, probe, probe-gaps, connection, survives, timeline, line, or a lesson condition: ready, sockopt, packet, drop, socket-error, probes-out, retransmits, app, peer, conntrack, invalid)'],
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

/** A valid exercise of the NAT lab; `change` rewrites its front matter lines. */
function natFile(change: (lines: string[]) => string[] = lines => lines): string {
	const front = [
		'id: nat',
		'title: NAT',
		'goal: The line arrives.',
		'scenario: nat',
		'nat-timeout: 8',
		'server-keepalive: true',
		'fault:',
		'  - client writes "still there?" after 20 s',
		'check:',
		'  - line arrives within 2 s',
		'hints:',
		'  - Hint.',
		'solution:',
		'  idle: 5',
		'  intvl: 2',
		'  probes: 3',
		'  why: Because.',
	];
	return withFront(change(front));
}

describe('readExercise: the lab an exercise runs, and the client\'s writes', () => {
	it('reads the lessons\' run fields and a write of the fault plan', () => {
		const {exercise, problems} = readExercise('x.md', natFile());
		expect(problems).toEqual([]);
		expect(exercise).toMatchObject({
			run: {scenario: 'nat', natTimeout: 8, serverKeepalive: true},
			fault: [],
			writes: [{line: 'still there?', after: 20}],
			check: [{text: 'line arrives within 2 s', check: {type: 'arrives', seconds: 2}}],
		});
		expect(readExercise('x.md', exerciseFile()).exercise).toMatchObject({run: {}, writes: []});
	});

	it.each([
		['a drop in the NAT lab', replace('  - client writes "still there?" after 20 s', ['  - drop after 1 answered probe', '  - client writes "still there?" after 20 s']), 'x.md:9: the NAT lab has no drop rule (its router forgetting the connection is the fault): give `client writes "LINE" after S s` only'],
		['probes with the server\'s keepalive off', (lines: string[]) => replace('  - line arrives within 2 s', '  - probe 1 within 6 s of connect')(lines.filter(line => !line.startsWith('server-keepalive'))), "x.md:10: the server's keepalive is off in this lab (`scenario: nat` has it off unless `server-keepalive: true`), so no probe goes out and no RST comes"],
		['the learner\'s values given', replace('nat-timeout: 8', ['nat-timeout: 8', 'values: {idle: 5, intvl: 2, probes: 3}']), "x.md:7: unknown front matter field `values`: an exercise's idle, intvl and probes are the learner's (give `settings` and `solution`) (expected id, title, goal, scenario, server-keepalive, nat-timeout, settings, fault, check, recorded, hints, solution)"],
		['a scenario the runner does not act out', (lines: string[]) => replace('scenario: nat', 'scenario: frozen')(lines.filter(line => !line.startsWith('nat-timeout'))), "x.md:5: an exercise's scenario is `drop` or `nat`: the runner does not act out `frozen`'s fault"],
		['a router timeout without the router', replace('scenario: nat', 'scenario: drop'), "x.md:6: `nat-timeout` is the router's: it needs `scenario: nat`"],
		['a router condition without the router', (lines: string[]) => replace('  - line arrives within 2 s', ['  - line arrives within 2 s', '  - invalid 1'])(lines.filter(line => !/^(scenario|nat-timeout)/.test(line))), 'x.md:10: this condition is about the NAT router, which only `scenario: nat` has'],
		['the server\'s application writing', replace('  - line arrives within 2 s', '  - app received client'), "x.md:11: the server's application writes nothing in an exercise's run"],
		['a write it cannot read', replace('  - client writes "still there?" after 20 s', '  - client writes still there after 20 s'), 'x.md:9: cannot read the fault `client writes still there after 20 s` (expected `drop after handshake` or `drop after N answered probe(s)`, optionally with ` for S s`, or `client writes "LINE" after S s`)'],
	])('refuses %s, at its line', (_what, change, message) => {
		expect(problems(natFile(change))).toEqual([message]);
	});

	it('refuses a line awaited that the plan never writes', () => {
		expect(problems(exerciseFile(replace('  - socket-error server ETIMEDOUT', '  - line arrives within 2 s')))).toEqual(['x.md:12: the client writes nothing: add `client writes "LINE" after S s` to `fault:`']);
	});

	it('holds a translation to the same lab and writes', () => {
		const original = readExercise('nat.md', natFile()).exercise!;
		const translated = readExercise('nat.md', natFile(lines => lines.map(line => line.replace('nat-timeout: 8', 'nat-timeout: 9').replace('after 20 s', 'after 25 s')))).exercise!;
		expect(exerciseTranslationProblems([original], [translated], 'zh').map(problem => formatProblem(problem))).toEqual([
			'zh/nat.md:5: lab scenario nat, nat-timeout 9, server-keepalive true, where the original (nat.md:5) has lab scenario nat, nat-timeout 8, server-keepalive true',
			'zh/nat.md:8: fault client writes "still there?" after 25 s, where the original (nat.md:8) has fault client writes "still there?" after 20 s',
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
		['line arrives within 2.5 s', {type: 'arrives', seconds: 2.5}],
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
			'test/fixtures/bad-course-exercise/wrong.md:9: cannot read the fault `drop after 1 answered probe for ever` (expected `drop after handshake` or `drop after N answered probe(s)`, optionally with ` for S s`, or `client writes "LINE" after S s`)',
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
