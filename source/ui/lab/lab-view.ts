/*
 * What the lab pane shows is the run's one state (source/lab/model/run-state.ts) as it is:
 * the lab store folds events with the same foldRun, never a reducer of its own. These names are the pane's words for it.
 */
export {
	foldRun as labView,
	foldRunEvents as reduceLabEvents,
	initialRun as initialLabView,
	type LabCounters,
	type RunState as LabView,
} from '../../lab/model/run-state.js';
