/*
 * What the lab pane shows is the run's one state (source/lab/run-state.ts) as it is:
 * the pane folds no events of its own. These names are the pane's words for it.
 */
export {
	foldRun as labView,
	foldRunEvents as reduceLabEvents,
	initialRun as initialLabView,
	maxErrors,
	maxPackets,
	type DropState as DropView,
	type KernelView,
	type LabCounters,
	type RunPacket,
	type RunState as LabView,
	type SocketView,
} from '../../lab/run-state.js';
export {countdowns} from './countdowns.js';
export type {Countdowns, TimerCountdown, ProbesCountdown, CountdownStatus} from './countdowns.js';
