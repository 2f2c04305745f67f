import {useEffect, useState, useSyncExternalStore} from 'react';
import type {EngineState, SavedProgress} from '../lessons/step-engine.js';
import type {Course} from '../lessons/types.js';
import type {ProgressStore} from '../progress/progress-store.js';
import type {TutorialState} from './tutorial-state.js';
import {createTutorialStore, type TutorialStore} from './tutorial-store.js';

/** What the tutorial's state is kept in between runs (the progress store saves only what changed). */
export type ProgressSaver = Pick<ProgressStore, 'save' | 'problem'>;

/**
 * The tutorial's state hook: the step engine and the screen's own state in one store, made
 * once from `start`. With `progress`, why the saved progress could not be used is told
 * first; then every change of the state is offered to it (from the start, so that a
 * corrupt file is replaced at once), and a save that fails is told once.
 */
export function useTutorial(course: Course, start?: Partial<SavedProgress>, progress?: ProgressSaver): {store: TutorialStore; state: TutorialState} {
	const [store] = useState(() => createTutorialStore(course, start));
	useEffect(() => {
		if (!progress) return undefined;
		if (progress.problem !== undefined) store.dispatch({type: 'notice', text: progress.problem});
		// Lab events change the state several times a second; only a move, a step done or an answer is progress.
		let last: EngineState | undefined;
		const save = () => {
			const {engine} = store.getState();
			if (last && engine.lesson === last.lesson && engine.step === last.step && engine.done === last.done && engine.answers === last.answers) return;
			last = engine;
			const problem = progress.save(engine);
			if (problem !== undefined) store.dispatch({type: 'notice', text: problem});
		};

		save();
		return store.subscribe(save);
	}, [store, progress]);
	const state = useSyncExternalStore(store.subscribe, store.getState);
	return {store, state};
}
