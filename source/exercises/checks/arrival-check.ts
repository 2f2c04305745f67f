import {clientDataAt, countOf} from '../../lab/model/run-state.js';
import type {LineAtRouter} from '../../ui/messages/en-exercises.js';
import type {ExerciseCheck} from '../types.js';
import {type CheckContext, type CheckOutcome, failed, pass, pending} from './context.js';

/** What the NAT router did with the client's data and the connection, by its own readings; null without a router. */
function atRouter({trace: {run}}: CheckContext): LineAtRouter | null {
	if (run.router.nat === null) return null;
	const {counts} = run.router;
	// An RST towards the server that never entered from the client is the router's own, for a segment it had no entry for.
	const resets = countOf(counts['router-out'], 'rst', 'client') - countOf(counts['router-in'], 'rst', 'client');
	return {
		forgottenAt: run.router.forgottenAt,
		into: clientDataAt(run, 'router-in'),
		out: clientDataAt(run, 'router-out'),
		invalid: run.router.invalid?.dropped ?? 0,
		resets,
		serverErrors: run.socketErrors.server,
	};
}

/**
 * `line arrives within 2 s`: each line of the plan's `client writes`, written by the
 * client's application, read by the server's at most `seconds` later. Lines are read in
 * the order they were written, so the n-th read is the n-th line's.
 */
export function checkArrives(context: CheckContext, check: Extract<ExerciseCheck, {type: 'arrives'}>): CheckOutcome {
	const {trace: {run}, exercise, words} = context;
	const {sent} = run.app.client;
	const {received} = run.app.server;
	let last: {wrote: number; read: number} | undefined;
	for (const [index, write] of exercise.writes.entries()) {
		const wrote = sent[index]?.t;
		if (wrote === undefined) return pending(context.ended ? words.lineUnwritten(write.after) : words.lineDue(write.after));
		const read = received[index]?.t;
		if (read === undefined) {
			if (context.now - wrote > check.seconds) return failed(words.lineLost(wrote, check.seconds, atRouter(context)));
			return pending(context.ended ? words.lineUndecided(wrote, context.now - wrote) : words.lineInFlight(wrote));
		}

		if (read - wrote > check.seconds) return failed(words.lineLate(wrote, read, check.seconds, atRouter(context)));
		last = {wrote, read};
	}

	return pass(words.lineArrived(last!.wrote, last!.read, atRouter(context)));
}
