import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import type {LabEvent, SegmentKind, Side} from '../../source/lab/shared/events.js';
import {loadCourse} from '../../source/lessons/load.js';
import {
	canGoNext,
	conditionProgress,
	consumesKey,
	currentStep,
	describeCondition,
	type EngineAction,
	type EngineNotice,
	type EngineState,
	initialState,
	lessonProgress,
	promptStatus,
	reduce,
} from '../../source/lessons/step-engine.js';
import {catalogs, en} from '../../source/ui/messages/messages.js';

// The engine's notice is typed; the English catalog says it as the learner reads it.
const said = (notice: EngineNotice | null) => notice && en.lesson.engineNotice(notice);
const course = loadCourse(fileURLToPath(new URL('../fixtures/course/', import.meta.url)));
// intro: 0 read, 1 question (answer b)
// lab:   0 read, 1 wait 2 keepalives, 2 prompt d drop-on, 3 wait keepalive after drop,
//        4 wait socket-error server ETIMEDOUT, 5 prompt r restart

const run = (state: EngineState, ...actions: EngineAction[]) => actions.reduce(reduce, state);
const event = (e: LabEvent): EngineAction => ({type: 'lab-event', event: e});
const packet = (t: number, from: Side, kind: SegmentKind): EngineAction =>
	event({t, type: 'packet', from, flags: ['ACK'], seq: 0, ack: 0, relSeq: 0, relAck: 1, len: 0, kind});
const probe = (t: number) => packet(t, 'server', 'keepalive');
const drop = (t: number, dropped = 0): EngineAction =>
	event({t, type: 'firewall', action: 'drop', command: 'iptables -A INPUT -p tcp --sport 40000 -j DROP', dropped});
const allow = (t: number): EngineAction =>
	event({t, type: 'firewall', action: 'allow', command: 'iptables -D INPUT -p tcp --sport 40000 -j DROP', dropped: 0});
const next: EngineAction = {type: 'next'};
const prev: EngineAction = {type: 'prev'};
const labLesson = () => run(initialState(course), {type: 'goto-lesson', index: 1});
const at = (state: EngineState) => [state.lesson, state.step];

describe('moving through the course', () => {
	it('starts at the first step of the first lesson', () => {
		const state = initialState(course);
		expect(at(state)).toEqual([0, 0]);
		expect(currentStep(state).title).toBe('Hello');
		expect(state.pendingAction).toBeNull();
	});

	it('passes a read step with next and marks it done', () => {
		const state = run(initialState(course), next);
		expect(at(state)).toEqual([0, 1]);
		expect(state.done['intro/0']).toBe(true);
	});

	it('goes back with prev, across lessons too, and does nothing at the very start', () => {
		const start = initialState(course);
		expect(reduce(start, prev)).toBe(start);
		const state = run(start, {type: 'goto-lesson', index: 1}, prev);
		expect(at(state)).toEqual([0, 1]);
	});

	it('jumps to any lesson, ignoring an index out of range', () => {
		const state = labLesson();
		expect(at(state)).toEqual([1, 0]);
		expect(reduce(state, {type: 'goto-lesson', index: 2})).toBe(state);
		expect(reduce(state, {type: 'goto-lesson', index: -1})).toBe(state);
	});

	it('moves on to the next lesson after the last step, and finishes after the last one', () => {
		let state = run(initialState(course), next, {type: 'answer', choice: 0}, next);
		expect(at(state)).toEqual([1, 0]);
		state = run(state, {type: 'goto-lesson', index: 1});
		state = {...state, step: 5, done: {...state.done, 'lab/5': true}};
		state = reduce(state, next);
		expect(state.finished).toBe(true);
		expect(reduce(state, prev).finished).toBe(false);
	});
});

describe('wait steps', () => {
	it('refuse next until the condition is met, and say why', () => {
		let state = run(labLesson(), next);
		expect(currentStep(state).kind).toBe('wait');
		expect(canGoNext(state)).toBe(false);
		state = reduce(state, next);
		expect(at(state)).toEqual([1, 1]);
		expect(state.notice).toEqual({kind: 'waiting', condition: {type: 'packet', kind: 'keepalive', from: 'server', count: 2}, have: 0, need: 2});
		expect(said(state.notice)).toBe('Waiting for 2 keepalive probes from the server (0/2).');
		expect(catalogs.zh.lesson.engineNotice(state.notice!)).toBe('正在等待服务器发出的 2 个 keepalive 探测包（0/2）。');
		state = reduce(state, probe(5));
		expect(conditionProgress({type: 'packet', kind: 'keepalive', from: 'server', count: 2}, state.run)).toEqual({have: 1, need: 2, met: false});
		expect(said(reduce(state, next).notice)).toBe('Waiting for 2 keepalive probes from the server (1/2).');
		state = reduce(state, probe(10));
		expect(state.done['lab/1']).toBe(true);
		expect(state.notice).toBeNull();
		expect(at(reduce(state, next))).toEqual([1, 2]);
	});

	it('count the events of the current run that came before the step was reached', () => {
		// Two probes while the learner was still reading lesson 0.
		let state = run(initialState(course), probe(5), packet(5, 'client', 'keepalive-ack'), probe(10));
		expect(state.done['lab/1']).toBeUndefined();
		state = run(state, {type: 'goto-lesson', index: 1}, next);
		expect(state.done['lab/1']).toBe(true);
		expect(at(reduce(state, next))).toEqual([1, 2]);
	});

	it('do not count segments of another kind or side', () => {
		const state = run(labLesson(), next, packet(5, 'client', 'keepalive'), packet(5, 'server', 'keepalive-ack'), packet(6, 'server', 'ack'));
		expect(canGoNext(state)).toBe(false);
	});

	it('count `after drop` only from when the drop went on', () => {
		let state = run(labLesson(), probe(5), probe(10), next, next, drop(11));
		expect(at(state)).toEqual([1, 2]);
		state = run(state, next);
		expect(at(state)).toEqual([1, 3]);
		expect(canGoNext(state)).toBe(false);
		// A repeated drop event (the rule's counter moved) does not restart the count.
		state = run(state, drop(12, 1));
		expect(canGoNext(state)).toBe(false);
		state = run(state, probe(15));
		expect(canGoNext(state)).toBe(true);
	});

	it('are met by socket errors of the right side and code', () => {
		let state = labLesson();
		state = {...state, step: 4};
		state = run(state, event({t: 20, type: 'socket', side: 'client', event: 'error', code: 'ECONNRESET'}));
		expect(canGoNext(state)).toBe(false);
		state = run(state, event({t: 20, type: 'socket', side: 'server', event: 'error', code: 'ETIMEDOUT'}));
		expect(canGoNext(state)).toBe(true);
	});
});

describe('prompt steps', () => {
	const atPrompt = () => run(labLesson(), probe(5), probe(10), next, next);

	it('turn their key into a pending action the caller performs and acknowledges', () => {
		let state = atPrompt();
		expect(promptStatus(state)).toBe('waiting-for-key');
		expect(said(reduce(state, next).notice)).toBe('Press d first.');
		state = reduce(state, {type: 'key', key: 'd'});
		expect(state.pendingAction).toEqual({id: 1, action: 'drop-on'});
		expect(promptStatus(state)).toBe('waiting-for-lab');
		expect(said(reduce(state, next).notice)).toBe('Waiting for the lab to confirm…');
		// Pressing again does not queue the action twice.
		expect(reduce(state, {type: 'key', key: 'd'}).pendingAction).toEqual({id: 1, action: 'drop-on'});
		// A stale id does not clear it; the right one does.
		expect(reduce(state, {type: 'action-taken', id: 7}).pendingAction).not.toBeNull();
		state = reduce(state, {type: 'action-taken', id: 1});
		expect(state.pendingAction).toBeNull();
		// Done once the lab confirms.
		state = reduce(state, drop(11));
		expect(promptStatus(state)).toBe('done');
		expect(at(reduce(state, next))).toEqual([1, 3]);
	});

	it('refuse the drop key in a lab that has no firewall tool, saying so', () => {
		const problem = {message: 'neither iptables nor nft is installed.', fix: 'Install iptables (apt-get install iptables).'};
		const ready = event({t: 0, type: 'lab', event: 'ready', sandbox: 'netns', port: 6699, firewall: 'none', firewallProblem: problem});
		const state = run(labLesson(), ready, probe(5), probe(10), next, next);
		expect(state.run.firewallProblem).toEqual(problem);
		const pressed = reduce(state, {type: 'key', key: 'd'});
		expect(pressed.pendingAction).toBeNull();
		expect(said(pressed.notice)).toBe('No firewall tool here: the drop is not available.');
	});

	it('are done on arrival when the lab is already in that state', () => {
		const state = run(labLesson(), probe(5), probe(10), drop(11), next, next);
		expect(at(state)).toEqual([1, 2]);
		expect(promptStatus(state)).toBe('done');
	});

	it('are not done once the drop was switched off again', () => {
		const state = run(labLesson(), probe(5), probe(10), drop(11), allow(12), next, next);
		expect(promptStatus(state)).toBe('waiting-for-key');
	});

	it('confirm a restart with the lab-reset that follows the key', () => {
		let state = {...labLesson(), step: 5};
		state = reduce(state, {type: 'key', key: 'r'});
		expect(state.pendingAction?.action).toBe('restart');
		state = run(state, {type: 'action-taken', id: state.pendingAction!.id});
		expect(promptStatus(state)).toBe('waiting-for-lab');
		state = reduce(state, {type: 'lab-reset'});
		expect(promptStatus(state)).toBe('done');
	});

	it('leave other keys to the caller: the same state comes back', () => {
		const state = atPrompt();
		expect(reduce(state, {type: 'key', key: 'x'})).toBe(state);
		expect(consumesKey(state, 'x')).toBe(false);
		expect(consumesKey(state, 'd')).toBe(true);
		expect(consumesKey(run(labLesson()), 'd')).toBe(false);
	});
});

describe('question steps', () => {
	const atQuestion = () => run(initialState(course), next);

	it('refuse next until answered', () => {
		const state = reduce(atQuestion(), next);
		expect(at(state)).toEqual([0, 1]);
		expect(said(state.notice)).toBe('Answer first: press a–c.');
	});

	it('record a right answer', () => {
		const state = reduce(atQuestion(), {type: 'answer', choice: 1});
		expect(state.answers['intro/1']).toEqual({choice: 1, correct: true});
		expect(state.done['intro/1']).toBe(true);
		expect(lessonProgress(state, 0)).toEqual({done: 2, steps: 2, questions: 1, right: 1});
	});

	it('record a wrong answer, and keep the first one', () => {
		let state = reduce(atQuestion(), {type: 'answer', choice: 2});
		expect(state.answers['intro/1']).toEqual({choice: 2, correct: false});
		state = reduce(state, {type: 'answer', choice: 1});
		expect(state.answers['intro/1']).toEqual({choice: 2, correct: false});
		expect(said(state.notice)).toBe('Already answered: press next to go on.');
		expect(canGoNext(state)).toBe(true);
	});

	it('take a letter key as the answer, and ignore one out of range', () => {
		const state = atQuestion();
		expect(reduce(state, {type: 'key', key: 'b'}).answers['intro/1']).toEqual({choice: 1, correct: true});
		expect(reduce(state, {type: 'key', key: 'd'})).toBe(state);
		expect(reduce(state, {type: 'answer', choice: 3})).toBe(state);
	});

	it('ignore answers on a step that is not a question', () => {
		const state = initialState(course);
		expect(reduce(state, {type: 'answer', choice: 0})).toBe(state);
	});
});

describe('lab reset', () => {
	it('restarts condition progress but keeps what is done', () => {
		let state = run(labLesson(), next, probe(5));
		state = reduce(state, {type: 'lab-reset'});
		expect(conditionProgress({type: 'packet', kind: 'keepalive', from: 'server', count: 2}, state.run).have).toBe(0);
		state = reduce(state, probe(5));
		expect(canGoNext(state)).toBe(false);
		state = run(state, probe(10), next, {type: 'lab-reset'});
		expect(at(state)).toEqual([1, 2]);
		expect(state.done['lab/1']).toBe(true);
		// The drop of the old run is gone with it.
		expect(state.run.drop.on).toBe(false);
	});

	it('forgets keys pressed in the old run', () => {
		let state = run(labLesson(), probe(5), probe(10), next, next, {type: 'key', key: 'd'});
		state = reduce(state, {type: 'lab-reset'});
		expect(promptStatus(state)).toBe('waiting-for-key');
	});
});

describe('starting from given progress', () => {
	it('resumes where the learner was, with what was done and answered', () => {
		const state = run(initialState(course), next, {type: 'answer', choice: 1}, next);
		const {lesson, step, done, answers} = state;
		const resumed = initialState(course, {lesson, step, done, answers});
		expect(at(resumed)).toEqual([1, 0]);
		expect(resumed.answers['intro/1']).toEqual({choice: 1, correct: true});
		expect(resumed.done['intro/0']).toBe(true);
	});

	it('starts over when the saved position no longer exists', () => {
		expect(at(initialState(course, {lesson: 9, step: 3}))).toEqual([0, 0]);
	});
});

describe('describeCondition', () => {
	it.each([
		[{type: 'packet', kind: 'keepalive', from: 'server', count: 1}, 'a keepalive probe from the server'],
		[{type: 'packet', kind: 'keepalive', count: 1, afterDrop: true}, 'a keepalive probe after the drop'],
		[{type: 'packet', kind: 'keepalive-ack', from: 'client', count: 2}, '2 keepalive ACKs from the client'],
		[{type: 'socket-error', side: 'server', code: 'ETIMEDOUT'}, "the server's socket to fail with ETIMEDOUT"],
		[{type: 'sockopt', side: 'server'}, "the server's socket options to be read back"],
		[{type: 'probes-out', side: 'server', atLeast: 2}, '2 unanswered probes at the server'],
		[{type: 'drop'}, 'the firewall drop to be on'],
	] as const)('%j', (condition, words) => {
		expect(describeCondition(condition)).toBe(words);
	});

	it('counts the kernel\'s highest probe count for probes-out', () => {
		const state = run(
			labLesson(),
			event({t: 1, type: 'kernel', side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 1, probesOut: 2}),
			event({t: 2, type: 'kernel', side: 'server', state: 'gone', timer: 'none', dueIn: 0, probesOut: 0}),
		);
		expect(conditionProgress({type: 'probes-out', side: 'server', atLeast: 2}, state.run).met).toBe(true);
	});
});

it('takes the lessons alone as well as a course', () => {
	expect(initialState(course.lessons).lessons).toBe(course.lessons);
});
