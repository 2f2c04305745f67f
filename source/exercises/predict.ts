import type {KeepaliveParams} from '../lab/shared/params.js';
import {expectedTimeline, nextAction, silentFrom, timerSlack} from '../lab/model/timeline.js';

/** A predicted time (seconds after the handshake ACK), and how late the kernel may make it, counted from the handshake. */
export type Predicted = {at: number; late: number};

/** The model's whole run for these values: the first `answered` probes answered at once, then the peer silent for good. */
export type Prediction = {probes: Predicted[]; rst: Predicted; lastAnswer: Predicted};

/**
 * A prediction, not a measurement: source/lab/model/timeline.ts's rules run from the
 * handshake. Lateness adds up, since each re-arm counts from when the timer really fired.
 */
export function predictRun(params: KeepaliveParams, answered: number): Prediction {
	let clock = silentFrom(0);
	let late = 0;
	const probes: Predicted[] = [];
	for (let index = 0; index < answered; index++) {
		const next = nextAction(params, clock);
		late += timerSlack(next.after === 'idle' ? params.idle : params.intvl);
		probes.push({at: next.at, late});
		// Answered at once: the server hears the client when it probed.
		clock = {heardAt: next.at, probeAt: next.at, unanswered: 0};
	}

	const lastAnswer = probes.at(-1) ?? {at: 0, late: 0};
	const silent = expectedTimeline(params, clock);
	for (const [index, at] of silent.probes.entries()) probes.push({at, late: late + silent.probeLate[index]!});
	return {probes, rst: {at: silent.rstAt, late: late + silent.rstLate}, lastAnswer};
}
