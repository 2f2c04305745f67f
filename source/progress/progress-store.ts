import {en, type Messages} from '../ui/messages/messages.js';
import {configDir} from './config-dir.js';
import {loadProgress, progressFile, resetProgress, saveProgress} from './progress-file.js';
import {emptyProgress, mergeProgress, type Progress, type TutorialProgress} from './progress.js';

/** The saved progress as the tutorial uses it: made once by runTutorial and passed into the UI. Nothing here throws. */
export type ProgressStore = {
	/** The progress to resume from: empty after a reset, or when there was none or it could not be used. */
	readonly loaded: Progress;
	/** Why the saved progress could not be used (or reset), in one line for the screen; undefined when all went well. */
	readonly problem: string | undefined;
	/**
	 * Saves the engine's progress and the exercises' when they have changed since the last save. A failure is
	 * returned the first time only (until a save works again), for the screen to show once.
	 */
	save(engine: TutorialProgress): string | undefined;
	/** Starts over (the menu's entry): the file is removed and what was saved forgotten. */
	reset(): string | undefined;
};

export type ProgressOptions = {
	/** The config directory; default: configDir(). */
	dir?: string;
	/** --reset: start over before loading. */
	reset?: boolean;
	/** The words of its problems; default English. */
	messages?: Messages;
};

export function openProgress({dir, reset = false, messages = en}: ProgressOptions = {}): ProgressStore {
	const words = messages.progress;
	let file: string;
	try {
		file = progressFile(dir ?? configDir());
	} catch (error) {
		// No home directory to be found (no $HOME, no password entry): the tutorial runs unsaved.
		const problem = words.noConfigDir(error instanceof Error ? error.message : String(error));
		return {loaded: emptyProgress, problem, save: () => undefined, reset: () => undefined};
	}

	const resetProblem = reset ? resetProgress(file, words) : undefined;
	const {progress: loaded, problem} = resetProblem === undefined ? loadProgress(file, words) : {progress: emptyProgress, problem: resetProblem};
	let current = loaded;
	// What the file holds as far as this process knows; a failed save leaves it, so the next save tries again.
	let written = JSON.stringify(loaded);
	let failing = false;
	return {
		loaded,
		problem,
		save(engine) {
			current = mergeProgress(current, engine);
			const text = JSON.stringify(current);
			if (text === written) return undefined;
			const failed = saveProgress(file, current, words);
			const first = failed !== undefined && !failing;
			failing = failed !== undefined;
			if (!failing) written = text;
			return first ? failed : undefined;
		},
		reset() {
			current = emptyProgress;
			written = '';
			return resetProgress(file, words);
		},
	};
}
