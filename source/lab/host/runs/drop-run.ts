import type {LabEvent} from '../../shared/events.js';
import type {RunState} from '../../model/run-state.js';
import {summarize} from '../../model/summary.js';
import type {TimerParams} from '../../model/timeline.js';
import type {RunContext, ScenarioRun} from './run-loop.js';

/** How long the kernel may take to reset once the drop is on: (idle + intvl × probes) × 2 + 10 s, or the user timeout's worth. */
export function rstDeadlineSeconds({idle, intvl, probes, userTimeout}: TimerParams): number {
	const silentFor = userTimeout ? Math.max(idle + intvl, userTimeout / 1000 + intvl) : idle + intvl * probes;
	return silentFor * 2 + 10;
}

/**
 * Switches the drop on right after the N-th Keep-Alive ACK (0: once the client connected);
 * calls `dropped` as it asks for it. Shared by the scenarios that drop.
 */
export function dropTrigger(dropAfter: number, dropped: (context: RunContext) => void): (run: RunState, event: LabEvent, context: RunContext) => void {
	let requested = false;
	return (run, event, context) => {
		if (requested) return;
		const connected = event.type === 'socket' && event.side === 'client' && event.event === 'connected';
		const answered = event.type === 'packet' && event.kind === 'keepalive-ack' && run.packetCounts['keepalive-ack'] === dropAfter;
		if (!(dropAfter === 0 ? connected : answered)) return;
		requested = true;
		void context.lab.setDrop(true);
		dropped(context);
	};
}

/** The whole run may not wait forever for the first answers, even with a large idle. */
export function overallSeconds(params: TimerParams, dropAfter: number): number {
	return params.idle * (dropAfter + 1) + rstDeadlineSeconds(params) + 5;
}

export const ended = (run: RunState, side: 'server' | 'client') => run.sockets[side].state === 'error' || run.sockets[side].state === 'closed';

/** The article's experiment: the drop after the N-th answered probe, then the unanswered probes and the RST. */
export function dropRun(params: TimerParams, dropAfter: number): ScenarioRun {
	const seconds = rstDeadlineSeconds(params);
	const trigger = dropTrigger(dropAfter, context => context.after(seconds, () => context.end(`no RST within ${seconds} s of the drop`)));
	return {
		awaits: 'the RST',
		limit: {seconds: overallSeconds(params, dropAfter), failure: 'the run took longer than the kernel allows'},
		onEvent(run, event, context) {
			trigger(run, event, context);
			if (ended(run, 'server') && ended(run, 'client')) context.endSoon();
		},
		summarize: (run, failure) => summarize(run, params, failure),
	};
}
