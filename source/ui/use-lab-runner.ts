import {useCallback, useEffect, useRef, useState} from 'react';
import type {LabEvent} from '../lab/shared/events.js';
import type {Lab, LabOptions} from '../lab/host/lab-types.js';

/*
 * Keeps the lab of the tutorial: ONE run at a time, started through the factory it is
 * given (components never create a lab). A run lives across consecutive lab lessons; a
 * fresh one starts when a lab lesson is entered and none is live or the last one has
 * ended (RST, or stopped); `restart` starts one on demand. Leaving for a lesson without
 * a lab stops it. Starts and stops run one after another, never overlapping.
 */

export type LabRunStatus = 'idle' | 'starting' | 'running' | 'ended' | 'unavailable';

export type LabProblem = {message: string; fix: string};

export type LabRunnerOptions = {
	startLab: (options: LabOptions) => Lab;
	options: LabOptions;
	/** Whether the current lesson runs the lab. */
	wanted: boolean;
	/** The current lesson: a change means another lesson was entered. */
	lesson: number;
	/** A new run starts: called before its first event can arrive. */
	onReset: () => void;
};

export type LabRunner = {
	/** The current run (events of a replaced run never come through it), or null. */
	lab: Lab | null;
	status: LabRunStatus;
	/** Why the lab could not start, once it could not. */
	problem: LabProblem | null;
	/** Feed every event of the current run here (from useLab's onEvent). */
	observe: (event: LabEvent) => void;
	/** Stops the current run, if any, and starts a new one. */
	restart: () => Promise<void>;
	/** Switches the drop on the current run, once its client has connected. */
	setDrop: (on: boolean) => Promise<void>;
	/** Stops the current run; resolves once its processes are gone. */
	stop: () => Promise<void>;
};

type Run = {
	inner: Lab;
	lab: Lab;
	ended: boolean;
	connected: Promise<void>;
	onConnected: () => void;
};

/** How long a drop waits for the run's client to connect. */
const connectTimeoutMs = 15_000;

/** The message and fix of a start failure (a LabStartError, or anything else thrown). */
export function problemOf(error: unknown): LabProblem {
	if (error instanceof Error && typeof (error as Error & {fix?: unknown}).fix === 'string') {
		return {message: error.message, fix: (error as Error & {fix: string}).fix};
	}

	return {
		message: error instanceof Error ? error.message : String(error),
		fix: '`ka-tutorial lab` runs the same lab without the tutorial and prints what goes wrong.',
	};
}

/** Whether this event ends a run: the RST, the server's socket failing, or the lab stopping. */
export function endsRun(event: LabEvent): boolean {
	return (
		(event.type === 'packet' && event.kind === 'rst') ||
		(event.type === 'lab' && event.event === 'stopped') ||
		(event.type === 'socket' && event.side === 'server' && (event.event === 'error' || event.event === 'closed'))
	);
}

/** A view of `lab` whose events come through only while `isCurrent()` holds. */
function gated(inner: Lab, isCurrent: () => boolean): Lab {
	return {
		start: () => inner.start(),
		subscribe: listener =>
			inner.subscribe(event => {
				if (isCurrent()) listener(event);
			}),
		readKernel: () => inner.readKernel(),
		setDrop: on => inner.setDrop(on),
		stop: () => inner.stop(),
	};
}

export function useLabRunner({startLab, options, wanted, lesson, onReset}: LabRunnerOptions): LabRunner {
	const [state, setState] = useState<{lab: Lab | null; status: LabRunStatus; problem: LabProblem | null}>({
		lab: null,
		status: 'idle',
		problem: null,
	});
	const current = useRef<Run | null>(null);
	const queue = useRef<Promise<void>>(Promise.resolve());
	const unavailable = useRef(false);
	const latest = useRef({startLab, options, wanted, onReset});
	latest.current = {startLab, options, wanted, onReset};

	const enqueue = useCallback((operation: () => Promise<void>): Promise<void> => {
		const done = queue.current.then(operation);
		queue.current = done.catch(() => undefined);
		return done;
	}, []);

	const stopCurrent = useCallback(async () => {
		const run = current.current;
		if (!run) return;
		current.current = null;
		setState(before => ({...before, lab: null, status: before.status === 'unavailable' ? 'unavailable' : 'idle'}));
		await run.inner.stop().catch(() => undefined);
	}, []);

	/** Starts a run; its start is not awaited, so that a stop never waits for it. */
	const startNew = useCallback(() => {
		latest.current.onReset();
		const inner = latest.current.startLab(latest.current.options);
		let onConnected = () => undefined as void;
		const connected = new Promise<void>(resolve => {
			onConnected = resolve;
		});
		const run: Run = {inner, lab: inner, ended: false, connected, onConnected};
		run.lab = gated(inner, () => current.current === run);
		current.current = run;
		setState({lab: run.lab, status: 'starting', problem: null});
		inner.start().then(
			() => {
				if (current.current === run && !run.ended) setState(before => (before.lab === run.lab ? {...before, status: 'running'} : before));
			},
			async (error: unknown) => {
				await inner.stop().catch(() => undefined);
				if (current.current !== run) return;
				current.current = null;
				unavailable.current = true;
				setState({lab: null, status: 'unavailable', problem: problemOf(error)});
			},
		);
	}, []);

	const restart = useCallback(
		() =>
			enqueue(async () => {
				unavailable.current = false;
				await stopCurrent();
				startNew();
			}),
		[enqueue, stopCurrent, startNew],
	);

	const stop = useCallback(() => enqueue(stopCurrent), [enqueue, stopCurrent]);

	// Entering a lesson: the lab it needs (or none). Decided when the queue gets there, on the newest wishes.
	useEffect(() => {
		void enqueue(async () => {
			const run = current.current;
			if (!latest.current.wanted) {
				await stopCurrent();
				return;
			}

			if (unavailable.current || (run && !run.ended)) return;
			await stopCurrent();
			startNew();
		});
	}, [wanted, lesson, enqueue, stopCurrent, startNew]);

	// Leaving the app: nothing left behind (the caller also awaits stop before it exits).
	useEffect(
		() => () => {
			void current.current?.inner.stop();
		},
		[],
	);

	const observe = useCallback((event: LabEvent) => {
		const run = current.current;
		if (!run) return;
		if (event.type === 'socket' && event.side === 'client' && event.event === 'connected') run.onConnected();
		if (!run.ended && endsRun(event)) {
			run.ended = true;
			setState(before => (before.lab === run.lab ? {...before, status: 'ended'} : before));
		}
	}, []);

	const setDrop = useCallback(async (on: boolean) => {
		const run = current.current;
		if (!run) throw new Error('the lab is not running');
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_resolve, reject) => {
			timer = setTimeout(() => reject(new Error('the lab\'s client has not connected')), connectTimeoutMs);
		});
		try {
			await Promise.race([run.connected, timeout]);
		} finally {
			clearTimeout(timer);
		}

		if (current.current !== run) throw new Error('the lab was restarted meanwhile');
		await run.inner.setDrop(on);
	}, []);

	return {...state, observe, restart, setDrop, stop};
}
