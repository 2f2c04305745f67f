import {useEffect, useState, useSyncExternalStore} from 'react';
import type {Course} from '../lessons/types.js';
import type {ProgressStore} from '../progress/progress-store.js';
import type {Resume} from '../progress/progress.js';
import type {Messages} from './messages/messages.js';
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
export function useTutorial(
	course: Course,
	messages: Messages,
	start?: Partial<Resume>,
	progress?: ProgressSaver,
): {store: TutorialStore; state: TutorialState} {
	const [store] = useState(() => createTutorialStore(course, messages, start));
	useEffect(() => {
		if (!progress) return undefined;
		if (progress.problem !== undefined) store.dispatch({type: 'notice', text: progress.problem});
		// Lab events change the state several times a second; only a move, a step done, an answer or an exercise opened or run is progress.
		let last: TutorialState | undefined;
		const save = () => {
			const state = store.getState();
			const {engine} = state;
			const exercise = state.exercise === null ? undefined : state.exercises[state.exercise.index]?.id;
			const before = last?.engine;
			const lastExercise = last?.exercise ? last.exercises[last.exercise.index]?.id : undefined;
			const same = before && engine.lesson === before.lesson && engine.step === before.step && engine.done === before.done && engine.answers === before.answers;
			if (same && last?.exerciseProgress === state.exerciseProgress && exercise === lastExercise) return;
			last = state;
			const problem = progress.save({...engine, exercises: state.exerciseProgress, exercise});
			if (problem !== undefined) store.dispatch({type: 'notice', text: problem});
		};

		save();
		return store.subscribe(save);
	}, [store, progress]);
	const state = useSyncExternalStore(store.subscribe, store.getState);
	return {store, state};
}
