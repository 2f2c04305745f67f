import type {LabEvent, SegmentKind, Side} from '../lab/shared/events.js';
import {countOf, foldRun, initialRun, type RunState} from '../lab/model/run-state.js';
import {choiceLetter} from './choices.js';
import type {Condition, Course, LabAction, Lesson, Step} from './types.js';

/*
 * The course's step engine: a pure reducer over a union of actions (ink-ui style).
 *
 * Rules
 * - Conditions are checked against the state of the CURRENT LAB RUN: every event the
 *   UI feeds in since the last `lab-reset`, whichever lesson was showing when it
 *   arrived. So `packet keepalive count 1` is already met if a probe came before
 *   the step was reached. `lab-reset` (a new run started) starts it over.
 * - A wait step is done once its condition is met while it is the current step
 *   (checked on arrival and after every event); `next` is refused until then.
 * - A prompt step: its key, pressed while it is current, sets `pendingAction`. It is
 *   done once the lab confirms: drop-on when the drop is in force, drop-off when it
 *   is not, restart when a `lab-reset` follows the key. `next` waits for that.
 * - A question is done once answered (the first answer counts, right or wrong);
 *   `next` waits for an answer.
 * - A read step is done when the learner moves on from it.
 * - `prev` and `goto-lesson` always work. Done marks survive lab resets.
 * - Side effects: the reducer only sets `pendingAction`; the caller performs it and
 *   dispatches `action-taken` with its id.
 * - A `key` the engine has no use for returns the same state object: the caller
 *   may then treat it as a global key (see consumesKey).
 */

export type Answer = {choice: number; correct: boolean};

/**
 * Why the last `next` (or key) did nothing: what it is, with what the words need; the UI
 * says it in its language (the catalog's lesson.engineNotice).
 */
export type EngineNotice =
	/** A wait step's condition is not met yet: `have` of `need` when it was refused. */
	| {kind: 'waiting'; condition: Condition; have: number; need: number}
	| {kind: 'press-first'; key: string}
	/** The prompt's key was pressed; the lab has not confirmed it yet. */
	| {kind: 'confirming'}
	/** A question not answered yet; `last` is the letter of its last choice. */
	| {kind: 'answer-first'; last: string}
	/** The prompt's key again, once its step is done. */
	| {kind: 'already-done'}
	| {kind: 'already-answered'}
	/** The prompt's key for a drop where no firewall tool works. */
	| {kind: 'no-firewall'};

/** A lab action the caller should perform, then acknowledge with `action-taken`. */
export type PendingAction = {id: number; action: LabAction; /** What a `send-*` writes. */ writes?: string};

export type EngineState = {
	readonly lessons: readonly Lesson[];
	/** Current position. */
	readonly lesson: number;
	readonly step: number;
	/** Steps done, by stepKey. */
	readonly done: Readonly<Record<string, true>>;
	/** Questions answered, by stepKey. */
	readonly answers: Readonly<Record<string, Answer>>;
	/** Prompts whose key was pressed in the current run, by stepKey. */
	readonly pressed: Readonly<Record<string, true>>;
	/** For `send-*` prompts pressed in the current run: that side's writes (and failed writes) at the press. */
	readonly writesAtPress: Readonly<Record<string, number>>;
	/** The current lab run, folded from its events. */
	readonly run: RunState;
	readonly pendingAction: PendingAction | null;
	readonly nextActionId: number;
	/** Why the last `next` (or key) did nothing, for the UI to show; cleared on any move. */
	readonly notice: EngineNotice | null;
	/** Set by `next` on the course's last step once it is done. */
	readonly finished: boolean;
};

/** Where the learner is and what they did, without the lab run: what a screen of the lesson is drawn from. */
export type EnginePlace = Pick<EngineState, 'lessons' | 'lesson' | 'step' | 'done' | 'answers' | 'pressed' | 'notice' | 'finished'>;

export type EngineAction =
	| {type: 'next'}
	| {type: 'prev'}
	| {type: 'goto-lesson'; index: number}
	| {type: 'lab-event'; event: LabEvent}
	| {type: 'lab-reset'}
	| {type: 'key'; key: string}
	| {type: 'answer'; choice: number}
	| {type: 'action-taken'; id: number};

/** What can be saved between sessions and given back to initialState. */
export type SavedProgress = {
	lesson: number;
	step: number;
	done: Record<string, true>;
	answers: Record<string, Answer>;
};

/** The key of step `step` of `lesson` in done/answers/pressed: `<lesson id>/<step index>`. */
export function stepKey(lesson: Lesson, step: number): string {
	return `${lesson.id}/${step}`;
}

export function initialState(course: Course | readonly Lesson[], saved?: Partial<SavedProgress>): EngineState {
	const lessons = Array.isArray(course) ? (course as readonly Lesson[]) : (course as Course).lessons;
	const lesson = clampIndex(saved?.lesson ?? 0, lessons.length);
	const step = clampIndex(saved?.step ?? 0, lessons[lesson]?.steps.length ?? 0);
	return settle({
		lessons,
		lesson,
		step,
		done: {...saved?.done},
		answers: {...saved?.answers},
		pressed: {},
		writesAtPress: {},
		run: initialRun,
		pendingAction: null,
		nextActionId: 1,
		notice: null,
		finished: false,
	});
}

function clampIndex(index: number, length: number): number {
	return Number.isInteger(index) && index >= 0 && index < length ? index : 0;
}

// --- selectors --------------------------------------------------------------------

export function currentLesson(state: EnginePlace): Lesson {
	const lesson = state.lessons[state.lesson];
	if (!lesson) throw new Error('the course has no lessons');
	return lesson;
}

export function currentStep(state: EnginePlace): Step {
	const step = currentLesson(state).steps[state.step];
	if (!step) throw new Error(`lesson "${currentLesson(state).id}" has no step ${state.step}`);
	return step;
}

export function currentKey(state: EnginePlace): string {
	return stepKey(currentLesson(state), state.step);
}

/** How far a condition is, for a progress display: `have` of `need`. */
export function conditionProgress(condition: Condition, run: RunState): {have: number; need: number; met: boolean} {
	const of = (have: number, need: number) => ({have: Math.min(have, need), need, met: have >= need});
	switch (condition.type) {
		case 'ready': {
			return of(run.ready ? 1 : 0, 1);
		}

		case 'sockopt': {
			return of(run.sockopt[condition.side] ? 1 : 0, 1);
		}

		case 'packet': {
			const counts = condition.at ? run.router.counts[condition.at] : condition.afterDrop ? run.packetsAfterDrop : run.packetCounts;
			return of(countOf(counts, condition.kind, condition.from), condition.count);
		}

		case 'retransmits': {
			return of(run.retransmitsMax[condition.side], condition.atLeast);
		}

		case 'app': {
			const app = run.app[condition.side];
			const done = {sent: app.sent, received: app.received, error: app.errors}[condition.event];
			return of(done.length, condition.count);
		}

		case 'peer': {
			return of((condition.event === 'frozen' ? run.client.frozen : !run.client.frozen && run.client.resumedAt !== null) ? 1 : 0, 1);
		}

		case 'conntrack': {
			return of((condition.entry === 'present' ? run.router.conntrack?.present === true : run.router.forgottenAt !== null) ? 1 : 0, 1);
		}

		case 'invalid': {
			return of(run.router.invalid?.dropped ?? 0, condition.atLeast);
		}

		case 'drop': {
			return of(run.drop.on ? 1 : 0, 1);
		}

		case 'socket-error': {
			const errors = run.socketErrors[condition.side];
			const matched = condition.code === undefined ? errors.length > 0 : errors.includes(condition.code);
			return of(matched ? 1 : 0, 1);
		}

		case 'probes-out': {
			return of(run.probesOutMax[condition.side], condition.atLeast);
		}
	}
}

export function isMet(condition: Condition, run: RunState): boolean {
	return conditionProgress(condition, run).met;
}

/** Whether the lab has confirmed what this prompt asks for (see the rules above). */
function promptConfirmed(state: EngineState, action: LabAction): boolean {
	switch (action) {
		case 'drop-on': {
			return state.run.drop.on;
		}

		case 'drop-off': {
			return Boolean(state.pressed[currentKey(state)]) && !state.run.drop.on;
		}

		case 'restart':
		case 'keepalive-on':
		case 'keepalive-off': {
			// Confirmed by the lab-reset that follows the key, in the reducer.
			return false;
		}

		case 'send-client':
		case 'send-server': {
			const key = currentKey(state);
			return key in state.writesAtPress && writesOf(state.run, sideOf(action)) > state.writesAtPress[key]!;
		}

		case 'freeze': {
			return Boolean(state.pressed[currentKey(state)]) && state.run.client.frozen;
		}

		case 'resume': {
			return Boolean(state.pressed[currentKey(state)]) && !state.run.client.frozen;
		}
	}
}

/** The side whose application a `send-*` action writes with. */
function sideOf(action: 'send-client' | 'send-server'): Side {
	return action === 'send-client' ? 'client' : 'server';
}

/** What that side's application has done with its writes: lines written and writes failed. */
function writesOf(run: RunState, side: Side): number {
	return run.app[side].sent.length + run.app[side].errors.length;
}

/** Whether an action restarts the lab: confirmed by the new run's reset. */
export function restartsLab(action: LabAction): boolean {
	return action === 'restart' || action === 'keepalive-on' || action === 'keepalive-off';
}

/** Whether an action needs the firewall (it cannot be done where no firewall tool works). */
export function needsFirewall(action: LabAction): boolean {
	return action === 'drop-on' || action === 'drop-off';
}

export type PromptStatus = 'waiting-for-key' | 'waiting-for-lab' | 'done';

export function promptStatus(state: EnginePlace): PromptStatus | null {
	if (currentStep(state).kind !== 'prompt') return null;
	const key = currentKey(state);
	if (state.done[key]) return 'done';
	return state.pressed[key] ? 'waiting-for-lab' : 'waiting-for-key';
}

export function isStepDone(state: EnginePlace, lesson: number, step: number): boolean {
	const target = state.lessons[lesson];
	return target !== undefined && Boolean(state.done[stepKey(target, step)]);
}

export function answerOf(state: EnginePlace, lesson = state.lesson, step = state.step): Answer | undefined {
	const target = state.lessons[lesson];
	return target === undefined ? undefined : state.answers[stepKey(target, step)];
}

/** Whether `next` would move on from the current step. */
export function canGoNext(state: EngineState): boolean {
	return currentStep(state).kind === 'read' || Boolean(state.done[currentKey(state)]);
}

/** Whether the current step takes this key: its prompt's key, or a letter of its choices (the caller's global keys come second). */
export function consumesKey(state: EngineState, key: string): boolean {
	const step = currentStep(state);
	return step.kind === 'prompt' ? key === step.key : step.kind === 'question' && choiceOfKey(step, key) !== null;
}

/** The choice a letter key picks (either case), if the question has it. */
function choiceOfKey(step: Extract<Step, {kind: 'question'}>, key: string): number | null {
	if (!/^[a-z]$/i.test(key)) return null;
	const choice = key.toLowerCase().codePointAt(0)! - 97;
	return choice < step.choices.length ? choice : null;
}

/** Done and total steps of one lesson, and right answers of its questions. */
export function lessonProgress(state: EngineState, lesson: number): {done: number; steps: number; questions: number; right: number} {
	const target = state.lessons[lesson];
	if (!target) return {done: 0, steps: 0, questions: 0, right: 0};
	let done = 0;
	let questions = 0;
	let right = 0;
	for (const [index, step] of target.steps.entries()) {
		const key = stepKey(target, index);
		if (state.done[key]) done++;
		if (step.kind === 'question') {
			questions++;
			if (state.answers[key]?.correct) right++;
		}
	}

	return {done, steps: target.steps.length, questions, right};
}

/** A condition in words, for "waiting for …". */
export function describeCondition(condition: Condition): string {
	switch (condition.type) {
		case 'ready': {
			return 'the lab to be ready';
		}

		case 'sockopt': {
			return `the ${condition.side}'s socket options to be read back`;
		}

		case 'packet': {
			const what = condition.count === 1 ? `${condition.kind === 'rst' ? 'an' : 'a'} ${kindWords[condition.kind]}` : `${condition.count} ${kindWords[condition.kind]}s`;
			const from = condition.from === undefined ? '' : ` from the ${condition.from}`;
			const at = condition.at === undefined ? '' : condition.at === 'router-in' ? ' into the router' : ' out of the router';
			return `${what}${from}${condition.afterDrop ? ' after the drop' : ''}${at}`;
		}

		case 'drop': {
			return 'the firewall drop to be on';
		}

		case 'socket-error': {
			return `the ${condition.side}'s socket to fail${condition.code === undefined ? '' : ` with ${condition.code}`}`;
		}

		case 'probes-out': {
			return `${condition.atLeast} unanswered probe${condition.atLeast === 1 ? '' : 's'} at the ${condition.side}`;
		}

		case 'retransmits': {
			return `the ${condition.side}'s kernel to count ${condition.atLeast} retransmission${condition.atLeast === 1 ? '' : 's'}`;
		}

		case 'app': {
			const did = {sent: 'write a line', received: 'read a line', error: 'fail a write'}[condition.event];
			return `the ${condition.side}'s application to ${did}${condition.count === 1 ? '' : ` ${condition.count} times`}`;
		}

		case 'peer': {
			return condition.event === 'frozen' ? "the client's process to be stopped" : "the client's process to run again";
		}

		case 'conntrack': {
			return condition.entry === 'present' ? "the router's conntrack entry" : 'the router to forget the connection';
		}

		case 'invalid': {
			return `${condition.atLeast} packet${condition.atLeast === 1 ? '' : 's'} dropped as INVALID at the router`;
		}
	}
}

const kindWords: Record<SegmentKind, string> = {
	syn: 'SYN',
	'syn-ack': 'SYN-ACK',
	ack: 'bare ACK',
	data: 'data segment',
	keepalive: 'keepalive probe',
	'keepalive-ack': 'keepalive ACK',
	rst: 'RST',
	fin: 'FIN',
	retransmission: 'retransmission',
};

// --- the reducer ------------------------------------------------------------------

export function reduce(state: EngineState, action: EngineAction): EngineState {
	switch (action.type) {
		case 'next': {
			return next(state);
		}

		case 'prev': {
			if (state.step > 0) return moveTo(state, state.lesson, state.step - 1);
			if (state.lesson > 0) {
				const lesson = state.lesson - 1;
				return moveTo(state, lesson, Math.max(0, (state.lessons[lesson]?.steps.length ?? 1) - 1));
			}

			return state.notice === null && !state.finished ? state : {...state, notice: null, finished: false};
		}

		case 'goto-lesson': {
			if (!Number.isInteger(action.index) || action.index < 0 || action.index >= state.lessons.length) return state;
			return moveTo(state, action.index, 0);
		}

		case 'lab-event': {
			return settle({...state, run: foldRun(state.run, action.event)});
		}

		case 'lab-reset': {
			const step = currentStep(state);
			const key = currentKey(state);
			const restarted = step.kind === 'prompt' && restartsLab(step.action) && state.pressed[key];
			return settle({
				...state,
				run: initialRun,
				pressed: {},
				writesAtPress: {},
				done: restarted ? {...state.done, [key]: true} : state.done,
			});
		}

		case 'key': {
			return key(state, action.key);
		}

		case 'answer': {
			return answer(state, action.choice);
		}

		case 'action-taken': {
			return state.pendingAction?.id === action.id ? {...state, pendingAction: null} : state;
		}
	}
}

function moveTo(state: EngineState, lesson: number, step: number): EngineState {
	return settle({...state, lesson, step, notice: null, finished: false});
}

function next(state: EngineState): EngineState {
	const step = currentStep(state);
	const key = currentKey(state);
	// A read step can always go on; the kind test only tells TypeScript so.
	if (!canGoNext(state) && step.kind !== 'read') return {...state, notice: blockedBecause(state, step)};
	const done = state.done[key] ? state.done : {...state.done, [key]: true as const};
	const marked = {...state, done};
	if (state.step + 1 < currentLesson(state).steps.length) return moveTo(marked, state.lesson, state.step + 1);
	if (state.lesson + 1 < state.lessons.length) return moveTo(marked, state.lesson + 1, 0);
	return {...marked, notice: null, finished: true};
}

/** Why `next` stays on a step that is not done (a read step always goes on). */
function blockedBecause(state: EngineState, step: Exclude<Step, {kind: 'read'}>): EngineNotice {
	switch (step.kind) {
		case 'wait': {
			const {have, need} = conditionProgress(step.until, state.run);
			return {kind: 'waiting', condition: step.until, have, need};
		}

		case 'prompt': {
			return state.pressed[currentKey(state)] ? {kind: 'confirming'} : {kind: 'press-first', key: step.key};
		}

		case 'question': {
			return {kind: 'answer-first', last: choiceLetter(step.choices.length - 1)};
		}
	}
}

function key(state: EngineState, pressed: string): EngineState {
	const step = currentStep(state);
	const stepId = currentKey(state);
	if (step.kind === 'prompt' && pressed === step.key) {
		if (state.done[stepId]) return {...state, notice: {kind: 'already-done'}};
		if (needsFirewall(step.action) && state.run.firewallProblem) return {...state, notice: {kind: 'no-firewall'}};
		if (state.pressed[stepId] || state.pendingAction?.action === step.action) {
			return {...state, notice: {kind: 'confirming'}};
		}

		const sends = step.action === 'send-client' || step.action === 'send-server';
		return settle({
			...state,
			pressed: {...state.pressed, [stepId]: true},
			writesAtPress: sends ? {...state.writesAtPress, [stepId]: writesOf(state.run, sideOf(step.action as 'send-client' | 'send-server'))} : state.writesAtPress,
			pendingAction: {id: state.nextActionId, action: step.action, ...(step.writes === undefined ? {} : {writes: step.writes})},
			nextActionId: state.nextActionId + 1,
			notice: null,
		});
	}

	const choice = step.kind === 'question' ? choiceOfKey(step, pressed) : null;
	if (choice !== null) return answer(state, choice);

	return state;
}

function answer(state: EngineState, choice: number): EngineState {
	const step = currentStep(state);
	const stepId = currentKey(state);
	if (step.kind !== 'question' || !Number.isInteger(choice) || choice < 0 || choice >= step.choices.length) return state;
	if (state.answers[stepId]) return {...state, notice: {kind: 'already-answered'}};
	return {
		...state,
		answers: {...state.answers, [stepId]: {choice, correct: choice === step.answer}},
		done: {...state.done, [stepId]: true},
		notice: null,
	};
}

/** Marks the current step done if the lab has met its condition or confirmed its prompt. */
function settle(state: EngineState): EngineState {
	const lesson = state.lessons[state.lesson];
	const step = lesson?.steps[state.step];
	if (!lesson || !step) return state;
	const key = stepKey(lesson, state.step);
	if (state.done[key]) return state;
	const met =
		(step.kind === 'wait' && isMet(step.until, state.run)) || (step.kind === 'prompt' && promptConfirmed(state, step.action));
	return met ? {...state, done: {...state.done, [key]: true}, notice: null} : state;
}
