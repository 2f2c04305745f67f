import type {KeepaliveParams} from '../../lab/shared/params.js';
import type {ExerciseMessages} from '../../ui/messages/en-exercises.js';
import type {ExerciseTrace} from '../trace.js';
import type {Exercise} from '../types.js';

export type CheckStatus = 'pass' | 'fail' | 'pending';

/** One condition's outcome, with the reason in the run's own times. */
export type CheckOutcome = {status: CheckStatus; reason: string};

/** What every check reads: the run so far, the learner's values, whether the run has ended, and the words to give the reason in. */
export type CheckContext = {
	exercise: Exercise;
	params: KeepaliveParams;
	trace: ExerciseTrace;
	words: ExerciseMessages;
} & RunTime;

/** Where the run is: its time (seconds since the lab was ready), and whether it has ended there. */
export type RunTime = {now: number; ended: boolean};

export const pass = (reason: string): CheckOutcome => ({status: 'pass', reason});
export const failed = (reason: string): CheckOutcome => ({status: 'fail', reason});
export const pending = (reason: string): CheckOutcome => ({status: 'pending', reason});

/** Undecided while the run goes on; once it has ended, what did not happen has failed. */
export function notYet(context: CheckContext, reason: string): CheckOutcome {
	return context.ended ? failed(reason) : pending(reason);
}
