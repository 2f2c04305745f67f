import {earlyBound} from '../../lab/model/timeline.js';
import {predictRun} from '../predict.js';
import type {Moment} from '../types.js';
import {type CheckContext, type CheckOutcome, failed, notYet, pass, pending} from './context.js';

/**
 * `timeline matches recorded`: the same number of probes, and each probe and the RST
 * (seconds after the handshake) where the recorded run had them. Both runs are late by
 * at most the slack of the learner's values and early by at most a jiffy, so they may
 * differ by that much.
 */
export function checkTimeline(context: CheckContext): CheckOutcome {
	const {exercise, params, trace, words} = context;
	const recorded = exercise.recorded!;
	if (trace.connect === null) return notYet(context, words.anchorNeverCame({type: 'connect'}));
	const connect = trace.connect;
	const probes = trace.probes.map(t => t - connect);
	const rst = trace.rst === null ? null : trace.rst - connect;
	const prediction = predictRun(params, exercise.fault[0]!.after);
	const both = {probes, rst, recorded};
	const moments: Array<{what: Moment; at: number; was: number | undefined; late: number | undefined}> = [
		...probes.map((at, index) => ({what: {type: 'probe', n: index + 1} as const, at, was: recorded.probes[index], late: prediction.probes[index]?.late})),
		...(rst === null ? [] : [{what: {type: 'rst'} as const, at: rst, was: recorded.rst, late: prediction.rst.late}]),
	];
	for (const {what, at, was, late} of moments) {
		if (was === undefined || (what.type === 'rst' && probes.length < recorded.probes.length)) {
			const other: Moment = what.type === 'rst' ? {type: 'probe', n: probes.length + 1} : {type: 'rst'};
			return failed(words.timelineOutOfStep(what, at, other, both));
		}

		const tolerance = (late ?? prediction.rst.late) + earlyBound;
		if (Math.abs(at - was) > tolerance) return failed(words.timelineApart(what, at, was, tolerance, both));
	}

	if (rst === null) return context.ended ? failed(words.timelineNoRst(both)) : pending(words.timelineSoFar(both));
	return pass(words.timelineMatches(both));
}
