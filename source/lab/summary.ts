import type {LabEvent, SummaryEvent} from './events.js';
import type {KeepaliveParams} from './params.js';
import {expectedTimeline} from './timeline.js';

/**
 * The run's outcome, derived from its events alone. probesAnswered counts the
 * client's answers that reached the server: those sent before the drop.
 */
export function summarize(events: LabEvent[], params: KeepaliveParams, failure?: string): Omit<SummaryEvent, 't'> {
	let probesSent = 0;
	let probesAnswered = 0;
	let dropped = 0;
	let dropOn = false;
	let lastAckBeforeDrop: number | null = null;
	let rstAt: number | null = null;
	let serverError: string | null = null;
	let clientError: string | null = null;
	for (const event of events) {
		if (event.type === 'packet') {
			if (event.kind === 'keepalive' && event.from === 'server') probesSent++;
			if (event.kind === 'keepalive-ack' && event.from === 'client' && !dropOn) probesAnswered++;
			if (event.from === 'client' && !dropOn) lastAckBeforeDrop = event.t;
			if (event.kind === 'rst' && event.from === 'server' && rstAt === null) rstAt = event.t;
		} else if (event.type === 'firewall') {
			dropOn = event.action === 'drop';
			dropped = Math.max(dropped, event.dropped);
		} else if (event.type === 'socket' && event.event === 'error') {
			if (event.side === 'server') serverError ??= event.code ?? null;
			else clientError ??= event.code ?? null;
		}
	}

	const expectedRstAt = lastAckBeforeDrop === null ? null : round(expectedTimeline(params, lastAckBeforeDrop).rstAt);
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
		probesSent,
		probesAnswered,
		dropped,
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
