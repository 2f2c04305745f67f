/**
 * The check engine on runs recorded from the real lab (test/fixtures/exercise-runs, made
 * by `ka-tutorial verify --json`, and test/fixtures/events, by `ka-tutorial lab --json`):
 * pass and fail, with reasons in the run's own times.
 */
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {readExercise} from '../../source/exercises/parse-exercise.js';
import {predictRun} from '../../source/exercises/predict.js';
import type {Exercise} from '../../source/exercises/types.js';
import {judgeRun, verdictReason} from '../../source/exercises/verdict.js';
import type {LabEvent, PacketEvent} from '../../source/lab/shared/events.js';
import type {KeepaliveParams} from '../../source/lab/shared/params.js';
import {defaultLessonsDir} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import {loadEvents} from '../helpers/events.js';

const shipped = loadCourse(defaultLessonsDir()).exercises;
const exercise = (id: string): Exercise => shipped.find(one => one.id === id)!;

/** A run `ka-tutorial verify --json` printed, without its verdict line. */
function recordedRun(name: string): LabEvent[] {
	const file = fileURLToPath(new URL(`../fixtures/exercise-runs/${name}.ndjson`, import.meta.url));
	return readFileSync(file, 'utf8').trim().split('\n').map(line => JSON.parse(line) as LabEvent);
}

const values = (name: string): KeepaliveParams => {
	const [idle, intvl, probes] = name.split('-').slice(-3).map(Number);
	return {idle: idle!, intvl: intvl!, probes: probes!};
};

const packets = (events: LabEvent[]) => events.filter((event): event is PacketEvent => event.type === 'packet');
const rstOf = (events: LabEvent[]) => packets(events).find(p => p.kind === 'rst' && p.from === 'server')!.t;
const dropsOf = (events: LabEvent[]) => events.filter(event => event.type === 'firewall' && event.action === 'drop' && event.dropped === 0).map(event => event.t);
const s = (value: number) => `${value.toFixed(3)} s`;

/** An exercise file with this fault plan and check, parsed. */
function exerciseWith(fault: string[], check: string[]): Exercise {
	const list = (items: string[]) => items.map(item => `  - ${item}`).join('\n');
	const source = `---\nid: x\ntitle: X\ngoal: X.\nfault:\n${list(fault)}\ncheck:\n${list(check)}\nhints:\n  - H.\nsolution: {idle: 2, intvl: 1, probes: 3, why: W.}\n---\n\nText.\n`;
	const {exercise, problems} = readExercise('x.md', source);
	expect(problems).toEqual([]);
	return exercise!;
}

describe('the shipped exercises on recorded runs', () => {
	it.each([
		['detect-vanished', 'detect-vanished-4-3-3'],
		['rst-on-the-dot', 'rst-on-the-dot-3-3-3'],
		['ride-out-outage', 'ride-out-outage-4-3-3'],
		['idle-below-intvl', 'idle-below-intvl-2-5-2'],
		['read-a-timeline', 'read-a-timeline-4-2-3'],
		['read-a-timeline', 'read-a-timeline-recorded'],
	])('%s passes with the solution\'s run (%s)', (id, run) => {
		const verdict = judgeRun(exercise(id), run.endsWith('recorded') ? exercise(id).solution : values(run), recordedRun(run));
		expect(verdict.results.filter(result => result.status !== 'pass')).toEqual([]);
		expect(verdict.status).toBe('pass');
	});

	it('detect-vanished fails with 2 probes: the count of probes after the drop', () => {
		const verdict = judgeRun(exercise('detect-vanished'), values('2-2-2'), recordedRun('detect-vanished-2-2-2'));
		expect(verdict.status).toBe('fail');
		expect(verdictReason(verdict)).toBe('2 Keep-Alive from the server since the drop went on; the goal was at least 3');
	});

	it('rst-on-the-dot fails when the values aim elsewhere, saying where the RST really came', () => {
		const events = recordedRun('rst-on-the-dot-2-2-3');
		const lastAnswer = packets(events).filter(p => p.from === 'client' && p.t < dropsOf(events)[0]!).at(-1)!.t;
		const verdict = judgeRun(exercise('rst-on-the-dot'), values('2-2-3'), events);
		expect(verdictReason(verdict)).toBe(`the RST came ${s(rstOf(events) - lastAnswer)} after the last answer the server heard; the goal was 12 s, but your values aim it at 8.000 s (the model's prediction)`);
	});

	it('ride-out-outage fails when the RST comes during the outage', () => {
		const events = recordedRun('ride-out-outage-2-2-2');
		const [drop] = dropsOf(events);
		const verdict = judgeRun(exercise('ride-out-outage'), values('2-2-2'), events);
		expect(verdict.results.map(result => result.status)).toEqual(['fail', 'fail', 'pass']);
		expect(verdictReason(verdict)).toBe(`the RST came at ${s(rstOf(events))}, ${s(rstOf(events) - drop!)} into drop 1 (on at ${s(drop!)})`);
	});

	it('idle-below-intvl fails on probes 2 s apart, and says so as soon as the second probe is out', () => {
		const events = recordedRun('idle-below-intvl-2-2-2');
		const [first, second] = packets(events).filter(p => p.kind === 'keepalive');
		const reason = `probes 1 and 2 (at ${s(first!.t)} and ${s(second!.t)}) were ${s(second!.t - first!.t)} apart; the goal was at least 5 s`;
		expect(verdictReason(judgeRun(exercise('idle-below-intvl'), values('2-2-2'), events))).toBe(reason);
		const soFar = events.filter(event => event.t <= second!.t);
		expect(judgeRun(exercise('idle-below-intvl'), values('2-2-2'), soFar, {now: second!.t, ended: false})).toMatchObject({status: 'fail'});
		// The passing run is undecided until it has ended: more probes might come closer.
		const passing = recordedRun('idle-below-intvl-2-5-2');
		expect(judgeRun(exercise('idle-below-intvl'), values('2-5-2'), passing.slice(0, -3), {now: 10, ended: false}).status).toBe('pending');
	});

	it('read-a-timeline fails with one probe too few: the RST came where the recorded run had its fourth probe', () => {
		const events = recordedRun('read-a-timeline-4-2-2');
		const connect = packets(events).find(p => p.from === 'client' && p.kind === 'ack')!.t;
		expect(verdictReason(judgeRun(exercise('read-a-timeline'), values('4-2-2'), events))).toMatch(
			new RegExp(`^the RST came at ${s(rstOf(events) - connect).replace('.', '\\.')} after the handshake, where the recorded run had probe 4 `),
		);
	});

	it('read-a-timeline\'s recorded times are those of its recorded run, from the handshake ACK', () => {
		const events = recordedRun('read-a-timeline-recorded');
		const connect = packets(events).find(p => p.from === 'client' && p.kind === 'ack')!.t;
		const round = (t: number) => Math.round((t - connect) * 1000) / 1000;
		expect(exercise('read-a-timeline').recorded).toEqual({probes: packets(events).filter(p => p.kind === 'keepalive').map(p => round(p.t)), rst: round(rstOf(events))});
	});
});

describe('checks on the lab\'s recorded runs (test/fixtures/events)', () => {
	// idle 2, intvl 4, probes 2, the drop after the 2nd answer: probes 4 s apart, answered or not.
	const gt2 = loadEvents('model-gt2');
	const gt2Params = {idle: 2, intvl: 4, probes: 2};
	const lastAnswer = packets(gt2).filter(p => p.from === 'client' && p.t < dropsOf(gt2)[0]!).at(-1)!.t;

	it('rst within: the time from the drop to the RST, against the goal', () => {
		const after = rstOf(gt2) - dropsOf(gt2)[0]!;
		const reason = `the RST came ${s(after)} after the drop; the goal was at most 10 s`;
		expect(judgeRun(exerciseWith(['drop after 2 answered probes'], ['rst within 10 s of drop']), gt2Params, gt2).results).toEqual([{text: 'rst within 10 s of drop', status: 'fail', reason}]);
		expect(judgeRun(exerciseWith(['drop after 2 answered probes'], ['rst within 13 s of drop']), gt2Params, gt2).status).toBe('pass');
	});

	it('rst near: right when the values aim at the goal and the kernel was within its slack; wrong aim fails', () => {
		const prediction = predictRun(gt2Params, 2);
		expect(prediction.rst.at - prediction.lastAnswer.at).toBe(12);
		const near = judgeRun(exerciseWith(['drop after 2 answered probes'], ['rst near 12 s after last-answer']), gt2Params, gt2);
		expect(near.status).toBe('pass');
		expect(near.results[0]!.reason).toMatch(new RegExp(`^the RST came ${s(rstOf(gt2) - lastAnswer).replace('.', '\\.')} after the last answer`));
		expect(judgeRun(exerciseWith(['drop after 2 answered probes'], ['rst near 13 s after last-answer']), gt2Params, gt2).status).toBe('fail');
	});

	it('probe gaps: 4 s apart passes 4 s and fails 5 s', () => {
		expect(judgeRun(exerciseWith(['drop after 2 answered probes'], ['probe-gaps at least 4 s']), gt2Params, gt2).status).toBe('pass');
		expect(judgeRun(exerciseWith(['drop after 2 answered probes'], ['probe-gaps at least 5 s']), gt2Params, gt2).status).toBe('fail');
	});

	it('a lesson condition: what the run shows, and the kernel\'s own count', () => {
		const verdict = judgeRun(exerciseWith(['drop after 2 answered probes'], ['probes-out server 3', 'socket-error client ECONNRESET']), gt2Params, gt2);
		expect(verdict.results.map(result => [result.status, result.reason])).toEqual([
			['fail', "the kernel counted at most 2 unanswered probe(s) on the server's socket; the goal was at least 3"],
			['pass', "the client's socket failed with ECONNRESET; the goal was ECONNRESET"],
		]);
	});

	it('a run that ended with a lab error before the RST was due leaves it undecided, and fails what did not happen', () => {
		const events = loadEvents('lab-error');
		const [drop] = dropsOf(events);
		const end = events.at(-1)!.t;
		const verdict = judgeRun(exerciseWith(['drop after 1 answered probe'], ['rst within 20 s of drop', 'socket-error server ETIMEDOUT']), {idle: 2, intvl: 1, probes: 3}, events);
		expect(verdict.results.map(result => [result.status, result.reason])).toEqual([
			['pending', `undecided: the run ended ${s(end - drop!)} after the drop, before the RST was due`],
			['fail', "the server's socket did not fail; the goal was ETIMEDOUT"],
		]);
		expect(verdict.status).toBe('fail');
		expect(judgeRun(exerciseWith(['drop after 1 answered probe'], ['rst within 1 s of drop']), {idle: 2, intvl: 1, probes: 3}, events).results[0]).toMatchObject({status: 'fail', reason: `no RST came within 1 s of the drop (at ${s(drop!)})`});
	});
});

describe('surviving an outage (ride-out-outage-4-3-3)', () => {
	const events = recordedRun('ride-out-outage-4-3-3');
	const [, second] = dropsOf(events);
	const firstOnly = events.filter(event => event.t < second!);

	it('connection survives once the drop was lifted and the server heard the client again; a later RST breaks it', () => {
		const survives = exerciseWith(['drop after 1 answered probe for 8 s'], ['connection survives']);
		expect(judgeRun(survives, values('4-3-3'), firstOnly)).toMatchObject({status: 'pass'});
		expect(judgeRun(survives, values('4-3-3'), firstOnly.filter(event => event.type !== 'firewall' || event.action === 'drop'), {now: 9, ended: false})).toMatchObject({status: 'pending'});
		const whole = judgeRun(survives, values('4-3-3'), events);
		expect(whole.status).toBe('fail');
		expect(verdictReason(whole)).toMatch(/^the RST came at \d+\.\d{3} s, \d+\.\d{3} s into drop 2 /);
	});
});

describe('keep-nat-entry: the client\'s line through the NAT router', () => {
	const nat = exercise('keep-nat-entry');
	const app = (events: LabEvent[], side: 'client' | 'server') => events.find(event => event.type === 'app' && event.side === side)?.t;
	const forgotten = (events: LabEvent[]) => events.find(event => event.type === 'conntrack' && !event.present && event.t > 1)!.t;
	const copies = (events: LabEvent[], at: 'router-in' | 'router-out') => packets(events).filter(p => p.from === 'client' && p.at === at && (p.kind === 'data' || p.kind === 'retransmission')).length;
	const invalid = (events: LabEvent[]) => events.filter(event => event.type === 'invalid').at(-1)!.dropped;

	it('passes with the solution\'s run: each probe kept the entry, the line was read at once', () => {
		const events = recordedRun('keep-nat-entry-5-2-3');
		const verdict = judgeRun(nat, values('5-2-3'), events);
		expect(verdict.status).toBe('pass');
		expect(verdictReason(verdict)).toBe(`the line written at ${s(app(events, 'client')!)} was read by the server's application at ${s(app(events, 'server')!)}; the router never forgot the connection (INVALID 0)`);
	});

	it.each([
		// Idle above the router's timeout: the entry expires before the first probe; the router answers that probe with an RST.
		['keep-nat-entry-10-5-3', '; the router had sent the server 1 RST(s) in the client\'s name (the server\'s socket: ECONNRESET)'],
		// Idle below it, intvl above: the answered probe at 5 s arms the timer for intvl 10, and the entry expires before it fires.
		['keep-nat-entry-5-10-3', '; the router had sent the server 1 RST(s) in the client\'s name (the server\'s socket: ECONNRESET)'],
	])('%s fails once the line is 2 s late, with the router\'s own readings', (run, reset) => {
		const events = recordedRun(run);
		const wrote = app(events, 'client')!;
		expect(app(events, 'server')).toBeUndefined();
		expect(judgeRun(nat, values(run), events, {now: wrote + 1, ended: false})).toMatchObject({status: 'pending', results: [{reason: `waiting for the line written at ${s(wrote)}`}]});
		// The runner judged when the 2 s were up, after the run's last event.
		const verdict = judgeRun(nat, values(run), events, {now: wrote + 2.001, ended: true});
		expect(verdict.status).toBe('fail');
		expect(verdictReason(verdict)).toBe(
			`the router forgot the connection at ${s(forgotten(events))}; the line written at ${s(wrote)} never left the router: ${copies(events, 'router-in')} copies of it entered, none left (INVALID ${invalid(events)})${reset}`,
		);
		expect(copies(events, 'router-out')).toBe(0);
	});

	it('before the client has written, the line is awaited; a run that ended first leaves it undecided', () => {
		const events = recordedRun('keep-nat-entry-5-2-3').filter(event => event.t < 10);
		expect(verdictReason(judgeRun(nat, values('5-2-3'), events, {now: 10, ended: false}))).toBe('waiting for the client to write its line, 20 s after it connected');
		expect(judgeRun(nat, values('5-2-3'), events, {now: 10, ended: true})).toMatchObject({status: 'pending', results: [{reason: 'undecided: the run ended before the client wrote its line (due 20 s after it connected)'}]});
	});
});
