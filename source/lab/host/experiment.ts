import type {LabEvent, Side, SummaryEvent} from '../shared/events.js';
import type {Lab} from './lab-types.js';
import type {KeepaliveParams} from '../shared/params.js';
import {foldRun, initialRun} from '../model/run-state.js';
import {summarize} from '../model/summary.js';

export type ExperimentOptions = {
	params: KeepaliveParams;
	/** Switch the drop on right after the N-th keepalive-ack (0: right after the handshake). */
	dropAfter: number;
	/** Receives every event, the summary last. */
	onEvent: (event: LabEvent) => void;
	/** Aborting stops the lab early (Ctrl-C, SIGTERM); the summary then says so. */
	signal?: AbortSignal;
};

/** How long the kernel may take to reset once the drop is on: (idle + intvl × probes) × 2 + 10 s. */
export function rstDeadlineSeconds({idle, intvl, probes}: KeepaliveParams): number {
	return (idle + intvl * probes) * 2 + 10;
}

// After the RST, the sockets' errors and the rule's last count arrive within milliseconds.
const settleMs = 300;

/** Runs the article's experiment once on a started lab and stops it; resolves with the summary. */
export async function runExperiment(lab: Lab, options: ExperimentOptions): Promise<SummaryEvent> {
	const {params, dropAfter, onEvent, signal} = options;
	let run = initialRun;
	let answers = 0;
	let dropRequested = false;
	let deadline: NodeJS.Timeout | undefined;
	let finish: (failure?: string) => void = () => undefined;
	const finished = new Promise<string | undefined>(resolve => {
		finish = resolve;
	});

	const requestDrop = () => {
		if (dropRequested) return;
		dropRequested = true;
		void lab.setDrop(true);
		deadline = setTimeout(
			() => finish(`no RST within ${rstDeadlineSeconds(params)} s of the drop`),
			rstDeadlineSeconds(params) * 1000,
		);
	};

	let endTimer: NodeJS.Timeout | undefined;
	const unsubscribe = lab.subscribe(event => {
		run = foldRun(run, event);
		onEvent(event);
		if (event.type === 'socket' && event.side === 'client' && event.event === 'connected' && dropAfter === 0) requestDrop();
		if (event.type === 'packet' && event.kind === 'keepalive-ack' && ++answers === dropAfter) requestDrop();
		if (event.type === 'lab' && event.event === 'error') finish(event.message);
		if (event.type === 'lab' && event.event === 'stopped') finish('the lab stopped before the RST');
		const ended = (side: Side) => run.sockets[side].state === 'error' || run.sockets[side].state === 'closed';
		if (ended('server') && ended('client') && !endTimer) endTimer = setTimeout(() => finish(), settleMs);
	});
	const onAbort = () => finish('stopped by the user before the RST');
	signal?.addEventListener('abort', onAbort);
	// Even with the drop far away (large idle), a run must not wait forever for the first answers.
	const overall = setTimeout(
		() => finish('the run took longer than the kernel allows'),
		(params.idle * (dropAfter + 1) + rstDeadlineSeconds(params)) * 1000 + 5000,
	);

	const failure = await finished;
	clearTimeout(deadline);
	clearTimeout(overall);
	clearTimeout(endTimer);
	signal?.removeEventListener('abort', onAbort);
	unsubscribe();
	const summary: SummaryEvent = {t: run.lastT ?? 0, ...summarize(run, params, failure)};
	await lab.stop();
	onEvent(summary);
	return summary;
}
