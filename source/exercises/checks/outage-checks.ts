import type {DropSpan, RstWhen} from '../../ui/messages/en-exercises.js';
import type {Outage} from '../trace.js';
import {type CheckContext, type CheckOutcome, failed, notYet, pass} from './context.js';

const span = (outage: Outage, n: number): DropSpan => ({n, on: outage.on, off: outage.off});

/** Where the RST came in relation to the drops: during one, or after one was lifted. */
function rstWhen(outages: readonly Outage[], rst: number): RstWhen {
	const index = outages.reduce((found, outage, at) => (outage.on <= rst ? at : found), -1);
	const outage = outages[index];
	if (!outage) return {type: 'before'};
	return {type: 'into', after: rst - outage.on, drop: span(outage, index + 1), lifted: outage.off !== null && rst > outage.off};
}

/** `survives drop N`: the drop was lifted before any RST, and the server heard the client again after it. */
export function checkSurvivesDrop(context: CheckContext, n: number): CheckOutcome {
	const {trace: {outages, rst}, words} = context;
	const outage = outages[n - 1];
	if (!outage) return rst === null ? notYet(context, words.dropNeverCame(n)) : failed(words.rstBeforeDrop(rst, rstWhen(outages, rst), n));
	if (rst !== null && (outage.heardAfter === null || rst < outage.heardAfter)) return failed(words.rstCame(rst, rstWhen(outages, rst)));
	if (outage.off === null) return notYet(context, words.neverLifted(span(outage, n)));
	if (outage.heardAfter === null) return notYet(context, words.neverHeardAgain(span(outage, n)));
	return pass(words.survivedDrop(span(outage, n), outage.off - outage.on, outage.heardAfter));
}

/** `connection survives`: every drop of the plan came and was survived, and no RST. */
export function checkSurvives(context: CheckContext): CheckOutcome {
	const {trace: {outages, rst}, words} = context;
	const planned = context.exercise.fault.length;
	for (let n = 1; n <= Math.max(outages.length, 1); n++) {
		const outcome = checkSurvivesDrop(context, n);
		if (outcome.status !== 'pass') return outcome;
	}

	if (rst !== null) return failed(words.rstCame(rst, rstWhen(outages, rst)));
	if (outages.length < planned) return notYet(context, words.someDrops(outages.length, planned));
	const last = outages.at(-1)!;
	return pass(words.survived(last.heardAfter!, last.off!));
}
