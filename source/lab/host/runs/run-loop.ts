import type {LabEvent, SummaryEvent} from '../../shared/events.js';
import type {Lab} from '../lab-types.js';
import {foldRun, initialRun, type RunState} from '../../model/run-state.js';
import type {SummaryBody} from '../../model/summary.js';

/** What a scenario's run may do while it reacts to events. */
export type RunContext = {
	lab: Lab;
	/** Ends the run now; with a failure, the summary says why. */
	end(failure?: string): void;
	/** Ends the run once the last readings have come (the sockets' errors, the rule's last count). */
	endSoon(): void;
	/** Calls `act` in `seconds`, unless the run ended first. */
	after(seconds: number, act: () => void): void;
	/** Calls `act` when the lab's clock reaches `t` (seconds since ready), unless the run ended first. */
	at(t: number, act: () => void): void;
};

/** One scenario acted out headless: what it does on each event, how long it may take, what its outcome is. */
export type ScenarioRun = {
	/** What the run waits for, as in "stopped by the user before the RST". */
	awaits: string;
	/** The longest the whole run may take, seconds since ready, and what the summary then says. */
	limit: {seconds: number; failure: string};
	/** Acts on each event; `run` already holds it. */
	onEvent(run: RunState, event: LabEvent, context: RunContext): void;
	/** The outcome: the summary with its exit rule's verdict (`failure`: why the run was cut short). */
	summarize(run: RunState, failure?: string): SummaryBody;
};

export type RunOptions = {
	/** Receives every event, the summary last. */
	onEvent: (event: LabEvent) => void;
	/** Aborting stops the lab early (Ctrl-C, SIGTERM); the summary then says so. */
	signal?: AbortSignal;
};

// After the end, the sockets' errors and the rule's last count arrive within milliseconds.
const settleMs = 300;

/** Runs a scenario once on a started lab and stops it; resolves with the summary. */
export async function runScenario(lab: Lab, scenario: ScenarioRun, {onEvent, signal}: RunOptions): Promise<SummaryEvent> {
	let run = initialRun;
	let finish: (failure?: string) => void = () => undefined;
	const finished = new Promise<string | undefined>(resolve => {
		finish = resolve;
	});
	const timers = new Set<NodeJS.Timeout>();
	const later = (ms: number, act: () => void) => {
		const timer = setTimeout(() => {
			timers.delete(timer);
			act();
		}, Math.max(0, ms));
		timers.add(timer);
	};

	// The lab's clock, as far as the host can tell: the newest event's t, plus the host time since it came.
	let lastT = 0;
	let lastAt = performance.now();
	let settling = false;
	const context: RunContext = {
		lab,
		end: failure => finish(failure),
		endSoon() {
			if (settling) return;
			settling = true;
			later(settleMs, () => finish());
		},
		after: (seconds, act) => later(seconds * 1000, act),
		at: (t, act) => later((t - lastT) * 1000 - (performance.now() - lastAt), act),
	};

	const unsubscribe = lab.subscribe(event => {
		run = foldRun(run, event);
		lastT = event.t;
		lastAt = performance.now();
		onEvent(event);
		if (event.type === 'lab' && event.event === 'error') finish(event.message);
		else if (event.type === 'lab' && event.event === 'stopped') finish(`the lab stopped before ${scenario.awaits}`);
		else scenario.onEvent(run, event, context);
	});
	const onAbort = () => finish(`stopped by the user before ${scenario.awaits}`);
	signal?.addEventListener('abort', onAbort);
	later(scenario.limit.seconds * 1000, () => finish(scenario.limit.failure));

	const failure = await finished;
	for (const timer of timers) clearTimeout(timer);
	signal?.removeEventListener('abort', onAbort);
	unsubscribe();
	const summary: SummaryEvent = {t: run.lastT ?? 0, ...scenario.summarize(run, failure)};
	await lab.stop();
	onEvent(summary);
	return summary;
}
