import type {SummaryEvent} from '../shared/events.js';
import type {KeepaliveParams} from '../shared/params.js';
import {type RunState, serverRstOf} from './run-state.js';
import {expectedTimeline} from './timeline.js';

/**
 * The run's outcome, a projection of its state. probesAnswered counts the client's
 * answers that reached the server: those sent while no drop was on. The expected RST
 * comes from the server's keepalive clock when the (last) drop went on.
 */
export function summarize(run: RunState, params: KeepaliveParams, failure?: string): Omit<SummaryEvent, 't'> {
	const rstAt = serverRstOf(run)?.t ?? null;
	const [serverError = null] = run.socketErrors.server;
	const [clientError = null] = run.socketErrors.client;
	const clock = run.drop.clockAtDrop;
	const expectedRstAt = clock === null ? null : round(expectedTimeline(params, clock).rstAt);
	const problem =
		failure ??
		(rstAt === null
			? 'no RST from the server'
			: serverError !== 'ETIMEDOUT'
				? `the server's socket ended with ${serverError ?? 'no error'} instead of ETIMEDOUT`
				: clientError !== 'ECONNRESET'
					? `the client's socket ended with ${clientError ?? 'no error'} instead of ECONNRESET`
					: undefined);
	return {
		type: 'summary',
		params: {idle: params.idle, intvl: params.intvl, probes: params.probes},
		probesSent: run.counters.probesSent,
		probesAnswered: run.counters.probesAnswered,
		dropped: run.counters.acksDropped,
		rstAt,
		expectedRstAt,
		serverError,
		clientError,
		ok: problem === undefined,
		...(problem === undefined ? {} : {failure: problem}),
	};
}

function round(seconds: number): number {
	return Math.round(seconds * 1000) / 1000;
}
