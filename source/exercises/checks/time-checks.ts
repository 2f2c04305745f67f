import {earlyBound} from '../../lab/model/timeline.js';
import {type Predicted, predictRun} from '../predict.js';
import type {Anchor, ExerciseCheck, Moment} from '../types.js';
import {type CheckContext, type CheckOutcome, failed, notYet, pass, pending} from './context.js';

/** When the moment really came, from the wire; null until it has. */
function realMoment({trace}: CheckContext, moment: Moment): number | null {
	return moment.type === 'rst' ? trace.rst : (trace.probes[moment.n - 1] ?? null);
}

/** When the anchor really was; the drop is the n-th one that went on, or the last. */
function realAnchor({trace}: CheckContext, anchor: Anchor): number | null {
	if (anchor.type === 'connect') return trace.connect;
	if (anchor.type === 'last-answer') return trace.lastAnswer;
	const outage = anchor.n === undefined ? trace.outages.at(-1) : trace.outages[anchor.n - 1];
	return outage?.on ?? null;
}

/** A moment whose time is not up yet: awaited while the run goes on; undecided when it ended first (another condition had failed, or the lab stopped). */
function undecided(context: CheckContext, what: Moment, from: Anchor, waited: number): CheckOutcome {
	return pending(context.ended ? context.words.undecided(what, from, waited) : context.words.waitingFor(what));
}

/** `rst within 20 s of drop`: the moment at most `seconds` after the anchor, as the wire saw them. */
export function checkWithin(context: CheckContext, check: Extract<ExerciseCheck, {type: 'within'}>): CheckOutcome {
	const {moment: what, anchor: from, seconds: most} = check;
	const {words} = context;
	const anchor = realAnchor(context, from);
	if (anchor === null) return notYet(context, words.anchorNeverCame(from));
	const moment = realMoment(context, what);
	if (moment === null) {
		const waited = context.now - anchor;
		if (waited > most) return failed(words.noneWithin(what, most, from, anchor));
		return undecided(context, what, from, waited);
	}

	const after = moment - anchor;
	if (after < 0) return failed(words.cameBefore(what, -after, from, most));
	const reason = words.cameWithin(what, after, from, most);
	return after <= most ? pass(reason) : failed(reason);
}

/** The model's time of the moment and the anchor for the learner's values; undefined when it predicts no such probe. */
function predicted(context: CheckContext, check: Extract<ExerciseCheck, {type: 'near'}>): {moment: Predicted; anchor: Predicted} | undefined {
	const prediction = predictRun(context.params, context.exercise.fault[0]!.after);
	const moment = check.moment.type === 'rst' ? prediction.rst : prediction.probes[check.moment.n - 1];
	const anchor = check.anchor.type === 'connect' ? {at: 0, late: 0} : prediction.lastAnswer;
	return moment && {moment, anchor};
}

/**
 * `rst near 12 s after last-answer`: the learner's values aim the moment at the goal (the
 * model says so), and the kernel really put it there: never early by more than a jiffy,
 * late by no more than its timers' slack between anchor and moment (timeline.ts).
 */
export function checkNear(context: CheckContext, check: Extract<ExerciseCheck, {type: 'near'}>): CheckOutcome {
	const {moment: what, anchor: from} = check;
	const {words} = context;
	const model = predicted(context, check);
	if (!model) return failed(words.givesUpFirst(what, context.params.probes));
	const aim = model.moment.at - model.anchor.at;
	const slack = model.moment.late - model.anchor.late;
	const anchor = realAnchor(context, check.anchor);
	const moment = realMoment(context, check.moment);
	if (anchor === null || moment === null) {
		const waited = anchor === null ? 0 : context.now - anchor;
		if (waited > Math.max(aim, check.seconds) + slack) return failed(words.noneAfter(what, waited, from));
		return undecided(context, what, from, waited);
	}

	const after = moment - anchor;
	if (Math.abs(aim - check.seconds) > 1e-9) return failed(words.aimedElsewhere(what, after, from, check.seconds, aim));
	const off = after - check.seconds;
	const within = off >= -earlyBound && off <= slack;
	const reason = words.near(what, after, from, check.seconds, off, {late: slack, early: earlyBound, within});
	return within ? pass(reason) : failed(reason);
}

/** `probe-gaps at least 5 s`: no two consecutive probes closer; a timer can fire at most a jiffy early. */
export function checkProbeGaps(context: CheckContext, check: Extract<ExerciseCheck, {type: 'probe-gaps'}>): CheckOutcome {
	const {probes} = context.trace;
	const gaps = probes.slice(1).map((t, index) => ({index, gap: t - probes[index]!}));
	const closest = gaps.reduce<(typeof gaps)[number] | undefined>((best, one) => (best === undefined || one.gap < best.gap ? one : best), undefined);
	const {words} = context;
	if (closest === undefined) return notYet(context, words.noGap(probes.length));
	const pair = {first: closest.index + 1, at: probes[closest.index]!, next: probes[closest.index + 1]!, gap: closest.gap};
	if (closest.gap < check.seconds - earlyBound) return failed(words.gapTooShort(pair, check.seconds));
	// More probes may still come closer together.
	return context.ended ? pass(words.gapsWide(pair, check.seconds)) : pending(words.gapsSoFar(pair));
}
