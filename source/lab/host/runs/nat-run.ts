import type {RunState} from '../../model/run-state.js';
import {clientDataAt, countOf} from '../../model/run-state.js';
import {baseSummary, verdict} from '../../model/summary.js';
import {timerSlack, type TimerParams} from '../../model/timeline.js';
import type {ScenarioRun} from './run-loop.js';

/** The client idles this many router timeouts before it writes: well past the moment the router forgets. */
const idleTimeouts = 2;
/** Without an entry every copy dies at the router: the first send and this many retransmissions show it. */
const watchedDrops = 4;
/** Long enough for `watchedDrops` RTO retransmissions from the minimum RTO (0.2 + 0.4 + 0.8 s), with room. */
const lossWaitSeconds = 4;

/**
 * What the kernel's rules predict: with the server's keepalive on, a probe and its answer
 * cross the router every max(idle, intvl) seconds (up to the timer's slack late), and each
 * sets the entry's timeout back up; the entry outlives the silence only if that comes
 * before the router's timeout. Without keepalive nothing crosses: the entry expires and
 * the client's next segment, with `nf_conntrack_tcp_loose=0`, is INVALID.
 */
export function expectedOutcome(params: TimerParams, keepalive: boolean, natTimeout: number): 'delivered' | 'lost' {
	const gap = Math.max(params.idle, params.intvl);
	return keepalive && gap + timerSlack(gap) < natTimeout ? 'delivered' : 'lost';
}


/**
 * One connection through the NAT router: it idles for `idleTimeouts` router timeouts, then
 * the client writes a line. Lost: it enters the router, the INVALID rule counts it (and
 * each retransmission), nothing leaves towards the server. Delivered: the server's
 * application reads it.
 */
export function natRun(params: TimerParams, keepalive: boolean, natTimeout: number, line: string): ScenarioRun {
	const expected = expectedOutcome(params, keepalive, natTimeout);
	let scheduled = false;
	return {
		awaits: expected === 'lost' ? 'the line died at the router' : 'the line arrived',
		limit: {seconds: idleTimeouts * natTimeout + lossWaitSeconds + 10, failure: 'the run took longer than the router and the kernel allow'},
		onEvent(run, event, context) {
			if (!scheduled && event.type === 'socket' && event.side === 'client' && event.event === 'connected') {
				scheduled = true;
				context.at(event.t + idleTimeouts * natTimeout, () => {
					void context.lab.send('client', line);
					// The kernel keeps retransmitting for ~15 minutes; past this the line is lost for good.
					context.after(lossWaitSeconds, () => context.endSoon());
				});
			}

			const arrived = run.app.server.received.length > 0;
			const diedThere = (run.router.invalid?.dropped ?? 0) >= watchedDrops && clientDataAt(run, 'router-out') === 0;
			if (arrived || diedThere) context.endSoon();
		},
		summarize(run, failure) {
			const delivered = run.app.server.received.length > 0;
			const invalidDropped = run.router.invalid?.dropped ?? 0;
			return {
				...baseSummary(run, params),
				expectedRstAt: null,
				scenario: 'nat',
				keepalive,
				natTimeout,
				lineSentAt: run.app.client.sent[0]?.t ?? null,
				delivered,
				expected,
				invalidDropped,
				dataIntoRouter: clientDataAt(run, 'router-in'),
				dataOutOfRouter: clientDataAt(run, 'router-out'),
				...verdict(failure ?? natProblem(run, expected, delivered, invalidDropped)),
			};
		},
	};
}

/** Whether the run kept the kernel's rules; undefined when it did. */
function natProblem(run: RunState, expected: 'delivered' | 'lost', delivered: boolean, invalidDropped: number): string | undefined {
	if (run.app.client.sent.length === 0) return 'the client wrote no line';
	if (clientDataAt(run, 'router-in') === 0) return "the client's line never reached the router";
	if (expected === 'delivered') {
		if (!delivered) return `the line was lost (${invalidDropped} packet(s) INVALID at the router), though the probes should have kept the router's entry`;
		if (invalidDropped > 0) return `${invalidDropped} packet(s) INVALID at the router, though its entry should have lasted`;
		return undefined;
	}

	if (delivered) return "the server read the line, though the router's entry should have expired";
	if (invalidDropped === 0) return 'the INVALID rule counted nothing';
	if (clientDataAt(run, 'router-out') > 0) return "the client's data left the router towards the server";
	if (countOf(run.router.counts['router-in'], 'retransmission', 'client') === 0) return 'the client did not retransmit its line';
	return undefined;
}
