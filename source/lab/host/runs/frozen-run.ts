import type {RunState} from '../../model/run-state.js';
import {baseSummary, verdict} from '../../model/summary.js';
import type {TimerParams} from '../../model/timeline.js';
import type {ScenarioRun} from './run-loop.js';

/** Probes the frozen client's kernel answers before the run resumes it. */
const frozenAnswers = 2;

/**
 * Freezes the client once connected, then the server writes a request: the client's kernel
 * ACKs it and answers the probes, its application replies to nothing. After
 * `frozenAnswers` answered probes the client is resumed, reads the request and replies.
 */
export function frozenRun(params: TimerParams, request: string): ScenarioRun {
	let froze = false;
	let asked = false;
	let resumed = false;
	return {
		awaits: 'the client was resumed',
		// The request's ACK restarts idle; then the answered probes, max(idle, intvl) apart.
		limit: {seconds: 2 * params.idle + frozenAnswers * Math.max(params.idle, params.intvl) + 10, failure: 'the frozen client answered too few probes in time'},
		onEvent(run, event, context) {
			if (!froze && event.type === 'socket' && event.side === 'client' && event.event === 'connected') {
				froze = true;
				void context.lab.freeze(true);
			}

			if (!asked && event.type === 'peer' && event.event === 'frozen') {
				asked = true;
				void context.lab.send('server', request);
			}

			if (!resumed && ackedWhileFrozen(run) && run.client.answeredWhileFrozen >= frozenAnswers) {
				resumed = true;
				void context.lab.freeze(false);
			}

			// The reply, read by the server's application, ends it.
			if (resumed && run.app.server.received.length > 0) context.endSoon();
		},
		summarize(run, failure) {
			const c = run.client;
			return {
				...baseSummary(run, params),
				expectedRstAt: null,
				scenario: 'frozen',
				answeredWhileFrozen: c.answeredWhileFrozen,
				requestAckedAt: run.inFlight.allAckedAt,
				requestReadAt: run.app.client.received[0]?.t ?? null,
				replyAt: run.app.client.sent[0]?.t ?? null,
				resumedAt: c.resumedAt,
				...verdict(failure ?? frozenProblem(run)),
			};
		},
	};
}

function ackedWhileFrozen(run: RunState): boolean {
	const {allAckedAt} = run.inFlight;
	return allAckedAt !== null && run.client.frozenAt !== null && allAckedAt >= run.client.frozenAt;
}

/** What a frozen client shows when the kernel keeps its rules; undefined when it did. */
function frozenProblem(run: RunState): string | undefined {
	const c = run.client;
	const {allAckedAt, firstDataAt} = run.inFlight;
	const read = run.app.client.received[0];
	const reply = run.app.client.sent[0];
	if (c.frozenAt === null || c.resumedAt === null) return 'the client was not frozen and resumed';
	if (firstDataAt === null || allAckedAt === null) return 'the request was never acknowledged';
	if (allAckedAt < c.frozenAt || allAckedAt > c.resumedAt) return 'the request was acknowledged while the client ran, not while it was frozen';
	if (c.answeredWhileFrozen < frozenAnswers) return `the frozen client answered ${c.answeredWhileFrozen} probe(s), fewer than ${frozenAnswers}`;
	if (read === undefined || read.t < c.resumedAt) return "the client's application read the request while it was frozen";
	if (reply === undefined || reply.t < c.resumedAt) return "the client's application replied while it was frozen";
	if (run.socketErrors.server.length > 0) return `the server's socket failed (${run.socketErrors.server.join(', ')}): keepalive saw a stopped process as alive`;
	return undefined;
}
