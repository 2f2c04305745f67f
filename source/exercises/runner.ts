import {performance} from 'node:perf_hooks';
import {rstDeadlineSeconds} from '../lab/host/runs/drop-run.js';
import type {Lab} from '../lab/host/lab-types.js';
import type {LabEvent, Side} from '../lab/shared/events.js';
import type {KeepaliveParams} from '../lab/shared/params.js';
import {en, type Messages} from '../ui/messages/messages.js';
import {type ExerciseTrace, foldTrace, traceOf} from './trace.js';
import type {Exercise} from './types.js';
import {judgeTrace, type RunTime, type Verdict} from './verdict.js';

export type ExerciseResult = {
	/** The verdict on the whole run. */
	verdict: Verdict;
	/** Every event of the run, in order. */
	events: LabEvent[];
	/** Why the run ended before the kernel had decided, when it did: a lab error, the time limit, a stop. */
	failure?: string;
	/** Stopped through the signal. */
	aborted: boolean;
};

export type ExerciseRun = {
	/** Gets every event so far and each one to come, with the verdict so far (`pending` while undecided); returns the unsubscribe function. */
	subscribe(listener: (event: LabEvent, verdict: Verdict) => void): () => void;
	/** Resolves once the run has ended and the lab is stopped. */
	done: Promise<ExerciseResult>;
};

/** Room for the client's last line to cross after the check's wait for it (the lab's events come within milliseconds). */
const lineRoomSeconds = 10;

/**
 * The longest a run may take under the kernel's rules: for each drop, the answers it waits
 * for (one every max(idle, intvl)), then its length, or the time the kernel may take to
 * reset; after a lifted last drop, the answer that shows the connection alive. The client's
 * last line, and the check's wait for it, may come later.
 */
export function runLimitSeconds(params: KeepaliveParams, {fault, writes, check}: Pick<Exercise, 'fault' | 'writes' | 'check'>): number {
	const gap = Math.max(params.idle, params.intvl);
	const steps = fault.reduce((sum, step) => sum + gap * (step.after + 1) + (step.for ?? rstDeadlineSeconds(params)), 0);
	const drops = fault.length === 0 ? 0 : steps + (fault.at(-1)?.for === undefined ? 0 : gap * 2 + 10);
	const lastWrite = writes.at(-1);
	const wait = Math.max(0, ...check.map(({check: one}) => (one.type === 'arrives' ? one.seconds : 0)));
	return Math.max(drops, lastWrite === undefined ? 0 : lastWrite.after + wait + lineRoomSeconds);
}

// After the RST, the sockets' errors and the rule's last count arrive within milliseconds.
const settleMs = 300;
// How often a time limit of the check (`rst within 20 s of drop`) is looked at between events.
const tickMs = 250;

/**
 * Runs one exercise on a started lab made with the learner's values: switches the drops of
 * the fault plan on and off as the run's events call for them, has the client write its
 * lines when the plan says (counted from its connect), ends the run as soon as the
 * check is decided (or the kernel's rules say it must have been), and stops the lab. The
 * verdicts and the failure are worded in `messages` (English unless told).
 */
export function startExercise(lab: Lab, exercise: Exercise, params: KeepaliveParams, signal?: AbortSignal, messages: Messages = en): ExerciseRun {
	const words = messages.exercises.failure;
	const judgeAt = (at: ExerciseTrace, time: RunTime) => judgeTrace(exercise, params, at, time, messages);
	const events: LabEvent[] = [];
	const listeners = new Set<(event: LabEvent, verdict: Verdict) => void>();
	let trace = traceOf([]);
	let verdict = judgeAt(trace, {now: 0, ended: false});
	let lastHostMs = performance.now();
	let step = 0;
	let answers = 0;
	let dropAsked = false;
	let finish: (failure?: string) => void = () => undefined;
	const finished = new Promise<string | undefined>(resolve => {
		finish = resolve;
	});
	const timers: NodeJS.Timeout[] = [];
	const later = (ms: number, run: () => void) => timers.push(setTimeout(run, ms));
	let settling = false;
	const settle = () => {
		if (settling) return;
		settling = true;
		later(settleMs, () => finish());
	};

	// The run's time now: the latest event's, plus what has passed on this host since it came.
	const now = () => (trace.run.lastT ?? 0) + (performance.now() - lastHostMs) / 1000;
	const judge = () => {
		verdict = judgeAt(trace, {now: now(), ended: false});
		if (verdict.status === 'fail') settle();
	};

	const drive = (event: LabEvent, before: typeof trace) => {
		const connected = event.type === 'socket' && event.side === 'client' && event.event === 'connected';
		if (connected) for (const {line, after} of exercise.writes) later(after * 1000, () => void lab.send('client', line));
		const current = exercise.fault[step];
		if (current === undefined) return;
		const heardAnswer = event.type === 'packet' && event.from === 'client' && event.kind === 'keepalive-ack' && !before.run.drop.on;
		if (heardAnswer) answers++;
		if (!dropAsked && ((current.after === 0 && connected) || (current.after > 0 && heardAnswer && answers >= current.after))) {
			dropAsked = true;
			void lab.setDrop(true);
		}

		if (trace.outages.length > before.outages.length && current.for !== undefined) later(current.for * 1000, () => void lab.setDrop(false));
		if (trace.outages.at(-1)?.off !== null && before.outages.at(-1)?.off === null) {
			step++;
			answers = 0;
			dropAsked = false;
		}
	};

	const unsubscribe = lab.subscribe(event => {
		const before = trace;
		trace = foldTrace(trace, event);
		lastHostMs = performance.now();
		events.push(event);
		drive(event, before);
		judge();
		for (const listener of listeners) listener(event, verdict);
		if (event.type === 'lab' && event.event === 'error') finish(event.message);
		if (event.type === 'lab' && event.event === 'stopped') finish(words.labStopped);
		const ended = (side: Side) => trace.run.sockets[side].state === 'error' || trace.run.sockets[side].state === 'closed';
		const survived = step === exercise.fault.length && trace.outages.at(-1)?.heardAfter != null;
		if ((ended('server') && ended('client')) || survived || verdict.status === 'pass') settle();
	});

	const tick = setInterval(judge, tickMs);
	const limit = runLimitSeconds(params, exercise);
	later(limit * 1000, () => finish(words.tooLong(limit)));
	const onAbort = () => finish(words.stopped);
	signal?.addEventListener('abort', onAbort);
	if (signal?.aborted) onAbort();

	const done = (async (): Promise<ExerciseResult> => {
		const failure = await finished;
		const endedAt = now();
		clearInterval(tick);
		for (const timer of timers) clearTimeout(timer);
		signal?.removeEventListener('abort', onAbort);
		unsubscribe();
		await lab.stop();
		const final = judgeAt(trace, {now: endedAt, ended: true});
		return {verdict: final, events, aborted: signal?.aborted ?? false, ...(failure === undefined ? {} : {failure})};
	})();

	return {
		subscribe(listener) {
			let replayed = traceOf([]);
			for (const event of events) {
				replayed = foldTrace(replayed, event);
				listener(event, judgeAt(replayed, {now: event.t, ended: false}));
			}

			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		done,
	};
}
