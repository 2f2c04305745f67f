import type {LabEvent} from '../lab/shared/events.js';
import {foldRun, initialRun, type RunState, serverRstOf} from '../lab/model/run-state.js';

/** One firewall drop of the run: when it went on and off, and when the server first heard the client after it. */
export type Outage = {on: number; off: number | null; heardAfter: number | null};

/**
 * What an exercise's checks read of a run, on top of the run's state: the times of the
 * moments and anchors they name. The server hears only what the drop rule lets through.
 */
export type ExerciseTrace = {
	run: RunState;
	/** The client's handshake ACK. */
	connect: number | null;
	/** Every keepalive probe from the server. */
	probes: number[];
	/** The server's first RST. */
	rst: number | null;
	/** The client's last segment the server heard before the RST. */
	lastAnswer: number | null;
	outages: Outage[];
};

const empty: ExerciseTrace = {run: initialRun, connect: null, probes: [], rst: null, lastAnswer: null, outages: []};

export function foldTrace(trace: ExerciseTrace, event: LabEvent): ExerciseTrace {
	const before = trace.run;
	const run = foldRun(before, event);
	const next = {...trace, run, rst: trace.rst ?? serverRstOf(run)?.t ?? null};
	if (event.type === 'firewall') {
		const last = trace.outages.at(-1);
		if (event.action === 'drop' && !before.drop.on) return {...next, outages: [...trace.outages, {on: event.t, off: null, heardAfter: null}]};
		if (event.action === 'allow' && before.drop.on && last) return {...next, outages: [...trace.outages.slice(0, -1), {...last, off: event.t}]};
		return next;
	}

	if (event.type !== 'packet') return next;
	if (event.from === 'server') return event.kind === 'keepalive' ? {...next, probes: [...trace.probes, event.t]} : next;
	if (before.drop.on || trace.rst !== null) return next;
	const last = trace.outages.at(-1);
	const outages = last && last.off !== null && last.heardAfter === null ? [...trace.outages.slice(0, -1), {...last, heardAfter: event.t}] : trace.outages;
	return {...next, lastAnswer: event.t, connect: trace.connect ?? (event.kind === 'ack' ? event.t : null), outages};
}

/** The trace of a whole run (or of its events so far). */
export function traceOf(events: readonly LabEvent[]): ExerciseTrace {
	return events.reduce(foldTrace, empty);
}
