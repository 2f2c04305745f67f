import type {Lab, LabOptions} from '../../lab/host/lab-types.js';
import type {LabEvent, Side} from '../../lab/shared/events.js';
import type {LessonRun} from '../../lessons/types.js';
import type {KeepaliveParams} from '../../lab/shared/params.js';
import {KernelWatch} from '../../lab/shared/kernel-watch.js';
import {countdowns, pollDelayMs} from '../lab/countdown-model.js';
import {initialLabView, type LabView, labView} from '../lab/lab-view.js';
import {en} from '../messages/messages.js';
import {type KernelPoller, startKernelPoller} from './kernel-poller.js';
import {endsRun, type LabProblem, problemOf, redraws} from './run-events.js';

/*
 * The tutorial's lab, as a store the screen reads with useSyncExternalStore: ONE run at a
 * time, started through the factory it is given (components never create a lab). A run
 * lives across consecutive lab lessons; a fresh one starts when a lab lesson is entered and
 * none is live or the last one has ended (RST, or stopped); `restart` starts one on demand.
 * Leaving for a lesson without a lab stops it. Starts and stops run one after another,
 * never overlapping. While a run is live the store has it read the kernel, as often as the
 * countdowns on screen change. An exercise's run (`startRun`) has the learner's values; the
 * exercise runner drives it, so it is not fed to the step engine, and no lesson goes on with it.
 */

export type LabRunStatus = 'idle' | 'starting' | 'running' | 'ended' | 'unavailable';

export type LabSnapshot = {
	readonly status: LabRunStatus;
	/** Why the lab could not start, once it could not. */
	readonly problem: LabProblem | null;
	/** The current run folded from its events; the same object until something drawn changes. */
	readonly view: LabView;
	/** The keepalive values the current (or last) run was asked for. */
	readonly params: KeepaliveParams;
};

/** What the step engine gets: a new run started, or an event of the current run. */
export type LabFeed = {type: 'lab-reset'} | {type: 'lab-event'; event: LabEvent};

export type LabStore = {
	subscribe(listener: () => void): () => void;
	getSnapshot(): LabSnapshot;
	/**
	 * Each new run, then each event of it, in order, right before the snapshot that shows it:
	 * an event that changes nothing on screen comes with the next one that does.
	 */
	feed(listener: (item: LabFeed) => void): () => void;
	/** A lesson was entered: it runs the lab (as its front matter says), or not (null). */
	enterLesson(run: LessonRun | null): void;
	/** Stops the current run, if any, and starts a new one; with `serverKeepalive` so (and later restarts too) until another lesson run is wanted. */
	restart(change?: {serverKeepalive: boolean}): Promise<void>;
	/**
	 * Stops the current run, if any, and starts one with these values, for an exercise (its
	 * lab as `run` says); resolves with its lab once it is ready, rejects where it cannot start.
	 */
	startRun(params: KeepaliveParams, run?: LessonRun): Promise<Lab>;
	/** Switches the drop on the current run, once its client has connected. */
	setDrop(on: boolean): Promise<void>;
	/** Has that side's application on the current run write the line, once its client has connected. */
	send(side: Side, text: string): Promise<void>;
	/** Stops or continues the current run's client process, once it has connected. */
	freeze(on: boolean): Promise<void>;
	/**
	 * The tutorial ends: stops the current run and starts none again. The screen keeps the
	 * run as it was; only the lab's own `stopped` event still comes through.
	 */
	stop(): Promise<void>;
};

type Run = {
	lab: Lab;
	options: LabOptions;
	/** The lesson run it was started for (undefined for an exercise's): the same one goes on with it. */
	lesson?: string;
	/** An exercise's run: not fed to the step engine. */
	exercise: boolean;
	/** Settles when the lab is ready, or could not start. */
	started: Promise<void>;
	/** Every event folded, and those not fed or shown yet. */
	view: LabView;
	unshown: LabEvent[];
	watch: KernelWatch;
	ended: boolean;
	poller: KernelPoller | null;
	connected: Promise<void>;
	onConnected: () => void;
	unsubscribe: () => void;
};

/** Why the store could not carry a command out; `reason` names the catalog's words for it (the message is the English). */
export class LabStoreError extends Error {
	constructor(readonly reason: 'labNotRunning' | 'clientNotConnected' | 'labRestarted') {
		super(en.app[reason]);
	}
}

/** How long a drop, a write or a freeze waits for the run's client to connect. */
const connectTimeoutMs = 15_000;

/** The lab options a lesson run (or an exercise's) asks for, over the course's. */
export function lessonOptions(run: LessonRun): Partial<LabOptions> {
	return {
		...(run.scenario === undefined ? {} : {scenario: run.scenario}),
		...run.values,
		...(run.userTimeout === undefined ? {} : {userTimeout: run.userTimeout}),
		...(run.serverKeepalive === undefined ? {} : {keepalive: {server: run.serverKeepalive}}),
		...(run.natTimeout === undefined ? {} : {natTimeout: run.natTimeout}),
	};
}

/** Two lessons share a run when they ask for the same one. */
function runKey(run: LessonRun): string {
	const {scenario = 'drop', values, userTimeout, serverKeepalive, natTimeout} = run;
	return JSON.stringify([scenario, values?.idle, values?.intvl, values?.probes, userTimeout, serverKeepalive, natTimeout]);
}

export function createLabStore(startLab: (options: LabOptions) => Lab, options: LabOptions): LabStore {
	const listeners = new Set<() => void>();
	const feeders = new Set<(item: LabFeed) => void>();
	const lessonParams: KeepaliveParams = {idle: options.idle, intvl: options.intvl, probes: options.probes};
	let snapshot: LabSnapshot = {status: 'idle', problem: null, view: initialLabView, params: lessonParams};
	let current: Run | null = null;
	let queue: Promise<void> = Promise.resolve();
	/** The lesson run asked for last, as a key (null: no lab), and that run. */
	let wanted: string | null = null;
	let wantedRun: LessonRun = {};
	/** A restart's change of the lesson run (the server's keepalive), kept for its restarts until another lesson run is wanted. */
	let kept: {serverKeepalive: boolean} | undefined;
	let unavailable = false;
	/** The lesson run that could not start (undefined: an exercise's). */
	let unavailableFor: string | undefined;
	let ending = false;

	function publish(next: Partial<LabSnapshot>, fed: readonly LabFeed[] = []): void {
		snapshot = {...snapshot, ...next};
		// In one turn: React draws the step engine's new state and the snapshot in one render.
		for (const item of fed) for (const feeder of feeders) feeder(item);
		for (const listener of listeners) listener();
	}

	function enqueue<T>(operation: () => Promise<T>): Promise<T> {
		const done = queue.then(operation);
		queue = done.then(
			() => undefined,
			() => undefined,
		);
		return done;
	}

	function onEvent(run: Run, event: LabEvent): void {
		if (run !== current || (ending && !(event.type === 'lab' && event.event === 'stopped'))) return;
		if (event.type === 'socket' && event.side === 'client' && event.event === 'connected') run.onConnected();
		const shown = snapshot.view;
		run.view = labView(run.view, event);
		run.unshown.push(event);
		const ends = !ending && !run.ended && endsRun(event);
		if (ends) run.ended = true;
		if (ends || event.type !== 'kernel' || redraws(event, shown, run.view, run.options, run.watch)) {
			const unfed = run.unshown.splice(0);
			const fed = run.exercise ? [] : unfed.map((item): LabFeed => ({type: 'lab-event', event: item}));
			publish({view: run.view, ...(ends ? {status: 'ended'} : {})}, fed);
		}

		poll(run, event);
	}

	/** The kernel is read while the run is live: ready, and neither stopped nor being stopped. */
	function poll(run: Run, event: LabEvent): void {
		const live = run === current && !ending && run.view.ready && !run.view.stopped;
		if (live && !run.poller) run.poller = startKernelPoller(run.lab, () => pollDelayMs(countdowns(run.view, run.options)));
		else if (!live) stopPolling(run);
		run.poller?.saw(event);
	}

	function stopPolling(run: Run): void {
		run.poller?.stop();
		run.poller = null;
	}

	/**
	 * Starts a run, for the lesson run wanted (with a change of the server's keepalive when
	 * given) or with an exercise's values; its start is not awaited, so that a stop never waits for it.
	 */
	function startNew(start: {exercise: KeepaliveParams; run: LessonRun} | {change?: {serverKeepalive: boolean}} = {}): Run {
		const exercise = 'exercise' in start;
		const runOptions = exercise ? {...options, ...lessonOptions(start.run), ...start.exercise} : {...options, ...lessonOptions({...wantedRun, ...start.change})};
		const params = {idle: runOptions.idle, intvl: runOptions.intvl, probes: runOptions.probes};
		publish({status: 'starting', problem: null, view: initialLabView, params}, exercise ? [] : [{type: 'lab-reset'}]);
		let onConnected = () => undefined as void;
		const connected = new Promise<void>(resolve => {
			onConnected = resolve;
		});
		const lab = startLab(runOptions);
		const started = lab.start();
		const run: Run = {
			lab,
			options: runOptions,
			...(exercise || wanted === null ? {} : {lesson: wanted}),
			exercise,
			started,
			view: initialLabView,
			unshown: [],
			watch: new KernelWatch(),
			ended: false,
			poller: null,
			connected,
			onConnected,
			unsubscribe: () => undefined,
		};
		current = run;
		run.unsubscribe = lab.subscribe(event => onEvent(run, event));
		started.then(
			() => {
				if (current === run && !run.ended && snapshot.status === 'starting') publish({status: 'running'});
			},
			async (error: unknown) => {
				await lab.stop().catch(() => undefined);
				// Stopped on purpose (replaced, or the tutorial ends): no problem to show.
				if (current !== run || ending) return;
				drop(run);
				unavailable = true;
				unavailableFor = run.lesson;
				publish({status: 'unavailable', problem: problemOf(error), view: initialLabView});
			},
		);
		return run;
	}

	function drop(run: Run): void {
		if (current === run) current = null;
		stopPolling(run);
		run.unsubscribe();
	}

	async function stopCurrent(): Promise<void> {
		const run = current;
		if (!run) return;
		drop(run);
		publish({status: snapshot.status === 'unavailable' ? 'unavailable' : 'idle', view: initialLabView});
		await run.lab.stop().catch(() => undefined);
	}

	/** Does `act` on the current run once its client has connected; refused if the run is replaced meanwhile. */
	async function onConnectedRun(act: (lab: Lab) => Promise<void>): Promise<void> {
		const run = current;
		if (!run) throw new LabStoreError('labNotRunning');
		let timer: ReturnType<typeof setTimeout> | undefined;
		const timeout = new Promise<never>((_resolve, reject) => {
			timer = setTimeout(() => reject(new LabStoreError('clientNotConnected')), connectTimeoutMs);
		});
		try {
			await Promise.race([run.connected, timeout]);
		} finally {
			clearTimeout(timer);
		}

		if (current !== run) throw new LabStoreError('labRestarted');
		await act(run.lab);
	}

	return {
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		getSnapshot: () => snapshot,
		feed(feeder) {
			feeders.add(feeder);
			return () => feeders.delete(feeder);
		},
		enterLesson(run) {
			const key = run === null ? null : runKey(run);
			if (key !== wanted) kept = undefined;
			wanted = key;
			if (run !== null) wantedRun = run;
			// Decided when the queue gets there, on the newest wish.
			void enqueue(async () => {
				if (ending) return;
				if (wanted === null) {
					await stopCurrent();
					return;
				}

				// A lesson never goes on with an exercise's run, nor with one set up for another lesson's.
				const same = current && !current.ended && !current.exercise && current.lesson === wanted;
				// Where this run could not start, `r` tries again; another lesson's run may start.
				if (same || (unavailable && unavailableFor === wanted)) return;
				await stopCurrent();
				unavailable = false;
				startNew();
			});
		},
		restart: change =>
			enqueue(async () => {
				if (ending) return;
				unavailable = false;
				if (change) kept = change;
				await stopCurrent();
				startNew(kept === undefined ? {} : {change: kept});
			}),
		async startRun(params, exerciseRun = {}) {
			const run = await enqueue(async () => {
				if (ending) throw new LabStoreError('labNotRunning');
				unavailable = false;
				await stopCurrent();
				return startNew({exercise: params, run: exerciseRun});
			});
			await run.started;
			return run.lab;
		},
		setDrop: on => onConnectedRun(lab => lab.setDrop(on)),
		send: (side, text) => onConnectedRun(lab => lab.send(side, text)),
		freeze: on => onConnectedRun(lab => lab.freeze(on)),
		stop() {
			ending = true;
			if (current) stopPolling(current);
			return enqueue(async () => {
				const run = current;
				if (!run) return;
				await run.lab.stop().catch(() => undefined);
				drop(run);
			});
		},
	};
}
