import type {SummaryEvent} from '../shared/events.js';
import {type RunState, serverRstOf} from './run-state.js';
import {expectedTimeline, type TimerParams} from './timeline.js';

export type SummaryBody = Omit<SummaryEvent, 't'>;

/** What every scenario's summary says: the values, the probes and drops, how the sockets ended. */
export function baseSummary(run: RunState, params: TimerParams): Omit<SummaryBody, 'ok' | 'expectedRstAt'> {
	const [serverError = null] = run.socketErrors.server;
	const [clientError = null] = run.socketErrors.client;
	return {
		type: 'summary',
		params: {idle: params.idle, intvl: params.intvl, probes: params.probes},
		probesSent: run.counters.probesSent,
		probesAnswered: run.counters.probesAnswered,
		dropped: run.counters.acksDropped,
		rstAt: serverRstOf(run)?.t ?? null,
		serverError,
		clientError,
		...(params.userTimeout === undefined ? {} : {userTimeout: params.userTimeout}),
	};
}

/** ok, and the failure when there is one. */
export function verdict(problem: string | undefined): Pick<SummaryBody, 'ok' | 'failure'> {
	return problem === undefined ? {ok: true} : {ok: false, failure: problem};
}

/**
 * The `drop` run's outcome, a projection of its state. probesAnswered counts the client's
 * answers that reached the server: those sent while no drop was on. The expected RST
 * comes from the server's keepalive clock when the (last) drop went on (with a user
 * timeout, by its rule instead of the probe count).
 */
export function summarize(run: RunState, params: TimerParams, failure?: string): SummaryBody {
	const base = baseSummary(run, params);
	const clock = run.drop.clockAtDrop;
	const expectedRstAt = clock === null ? null : round(expectedTimeline(params, clock).rstAt);
	const problem =
		failure ??
		(base.rstAt === null
			? 'no RST from the server'
			: base.serverError !== 'ETIMEDOUT'
				? `the server's socket ended with ${base.serverError ?? 'no error'} instead of ETIMEDOUT`
				: base.clientError !== 'ECONNRESET'
					? `the client's socket ended with ${base.clientError ?? 'no error'} instead of ECONNRESET`
					: undefined);
	return {...base, expectedRstAt, ...verdict(problem)};
}

export function round(seconds: number): number {
	return Math.round(seconds * 1000) / 1000;
}
