import {startExercise} from '../../exercises/runner.js';
import type {Exercise} from '../../exercises/types.js';
import type {Verdict} from '../../exercises/verdict.js';
import type {KeepaliveParams} from '../../lab/shared/params.js';
import type {LabStore} from '../lab-store/lab-store.js';
import type {Messages} from '../messages/messages.js';
import type {TutorialAction} from '../tutorial-state.js';

/** The verdict as far as the screen shows it: a new one only when a mark or a reason changes. */
const verdictKey = (verdict: Verdict) => verdict.results.map(({status, reason}) => `${status}:${reason}`).join('\n');

/**
 * Runs an exercise on a lab of the store's with the learner's values (the store shows it in
 * the lab pane), and reports the verdict as it changes, then the last one, as `id`'s.
 * Rejects when the lab cannot start or cannot drop; the runner stops the lab at the end.
 */
export async function runExercise(
	store: LabStore,
	exercise: Exercise,
	params: KeepaliveParams,
	id: number,
	dispatch: (action: TutorialAction) => void,
	messages: Messages,
): Promise<void> {
	const lab = await store.startRun(params, exercise.run);
	// An exercise with drops cannot run without a firewall tool (the NAT lab's router does not start without one).
	const noDrop = store.getSnapshot().view.firewallProblem;
	if (noDrop && exercise.fault.length > 0) {
		await lab.stop();
		throw new Error(messages.exercise.noDrop(noDrop.message, noDrop.fix));
	}

	const run = startExercise(lab, exercise, params, undefined, messages);
	let shown = '';
	run.subscribe((_event, verdict) => {
		const key = verdictKey(verdict);
		if (key === shown) return;
		shown = key;
		dispatch({type: 'exercise-report', id, verdict});
	});
	const result = await run.done;
	dispatch({type: 'exercise-report', id, verdict: result.verdict, done: true, ...(result.failure === undefined ? {} : {failure: result.failure})});
}
