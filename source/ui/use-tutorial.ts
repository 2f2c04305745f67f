import {useState, useSyncExternalStore} from 'react';
import type {Course} from '../lessons/types.js';
import type {TutorialState} from './tutorial-state.js';
import {createTutorialStore, type TutorialStore} from './tutorial-store.js';

/** The tutorial's state hook: the step engine and the screen's own state in one store, made once. */
export function useTutorial(course: Course, startLesson = 0): {store: TutorialStore; state: TutorialState} {
	const [store] = useState(() => createTutorialStore(course, startLesson));
	const state = useSyncExternalStore(store.subscribe, store.getState);
	return {store, state};
}
