import {countOf} from '../../lab/model/run-state.js';
import {conditionProgress} from '../../lessons/step-engine.js';
import type {Condition} from '../../lessons/types.js';
import {type CheckContext, type CheckOutcome, notYet, pass} from './context.js';

/** What the run shows for a lesson condition, in its own counts. */
function seen(condition: Condition, {trace: {run}, words}: CheckContext): string {
	switch (condition.type) {
		case 'packet': {
			const counts = condition.at ? run.router.counts[condition.at] : condition.afterDrop ? run.packetsAfterDrop : run.packetCounts;
			return words.packetsSeen(countOf(counts, condition.kind, condition.from), condition.kind, condition.from, condition.afterDrop ?? false, condition.count);
		}

		case 'socket-error': {
			return words.socketError(condition.side, run.socketErrors[condition.side], condition.code);
		}

		case 'probes-out': {
			return words.probesOut(run.probesOutMax[condition.side], condition.side, condition.atLeast);
		}

		case 'ready':
		case 'sockopt':
		case 'drop':
		case 'retransmits':
		case 'app':
		case 'peer':
		case 'conntrack':
		case 'invalid': {
			return words.met(conditionProgress(condition, run).met);
		}
	}
}

/** A lesson condition (`until:`), met at some point of the run: what is met stays met. */
export function checkCondition(context: CheckContext, condition: Condition): CheckOutcome {
	const reason = seen(condition, context);
	return conditionProgress(condition, context.trace.run).met ? pass(reason) : notYet(context, reason);
}
