import type {LabEvent} from '../lab/shared/events.js';
import type {KeepaliveParams} from '../lab/shared/params.js';
import {en, type Messages} from '../ui/messages/messages.js';
import {checkArrives} from './checks/arrival-check.js';
import {checkCondition} from './checks/condition-check.js';
import type {CheckContext, CheckOutcome, CheckStatus, RunTime} from './checks/context.js';
import {checkSurvives, checkSurvivesDrop} from './checks/outage-checks.js';
import {checkTimeline} from './checks/timeline-check.js';
import {checkNear, checkProbeGaps, checkWithin} from './checks/time-checks.js';
import {type ExerciseTrace, traceOf} from './trace.js';
import type {Exercise, ExerciseCheck} from './types.js';

export type {CheckStatus, RunTime} from './checks/context.js';

/** One condition of the check, as the language says it, and how the run did on it. */
export type CheckResult = CheckOutcome & {text: string};

/**
 * The run against the exercise: `fail` as soon as one condition has failed, `pass` once
 * all hold, `pending` while some are undecided (the run goes on, or it ended before they
 * were due).
 */
export type Verdict = {status: CheckStatus; results: CheckResult[]};

function checkOne(context: CheckContext, check: ExerciseCheck): CheckOutcome {
	switch (check.type) {
		case 'condition': {
			return checkCondition(context, check.condition);
		}

		case 'within': {
			return checkWithin(context, check);
		}

		case 'near': {
			return checkNear(context, check);
		}

		case 'probe-gaps': {
			return checkProbeGaps(context, check);
		}

		case 'survives': {
			return checkSurvives(context);
		}

		case 'survives-drop': {
			return checkSurvivesDrop(context, check.n);
		}

		case 'timeline': {
			return checkTimeline(context);
		}

		case 'arrives': {
			return checkArrives(context, check);
		}
	}
}

/**
 * The verdict on a run's trace at `time`: while the run goes on, what has not happened
 * yet may still come. Pure. By default the run ended with its last event; the texts and
 * reasons are in `messages` (English unless told).
 */
export function judgeTrace(exercise: Exercise, params: KeepaliveParams, trace: ExerciseTrace, time?: RunTime, messages: Messages = en): Verdict {
	const words = messages.exercises;
	const context: CheckContext = {exercise, params, trace, words, ...(time ?? {now: trace.run.lastT ?? 0, ended: true})};
	const results = exercise.check.map(({text, check}) => ({text: words.checkText(check, text), ...checkOne(context, check)}));
	const status = results.some(result => result.status === 'fail') ? 'fail' : results.some(result => result.status === 'pending') ? 'pending' : 'pass';
	return {status, results};
}

/** The verdict on a run's events (a recorded run, or one so far). */
export function judgeRun(exercise: Exercise, params: KeepaliveParams, events: readonly LabEvent[], time?: RunTime, messages: Messages = en): Verdict {
	return judgeTrace(exercise, params, traceOf(events), time, messages);
}

/** The reason to show first: the first failed condition's, else the first undecided one's; on a pass, the first condition's, the one the exercise is about. */
export function verdictReason(verdict: Verdict): string {
	const first = (status: CheckStatus) => verdict.results.find(result => result.status === status);
	return (first('fail') ?? first('pending') ?? verdict.results[0])?.reason ?? '';
}
