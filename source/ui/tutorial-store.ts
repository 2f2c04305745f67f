import type {Course} from '../lessons/types.js';
import type {Resume} from '../progress/progress.js';
import type {Messages} from './messages/messages.js';
import {initialTutorial, type TutorialAction, tutorialReducer, type TutorialState} from './tutorial-state.js';

/** The tutorial's state as a store: what a key means is read against its newest state, even before React has drawn it. */
export type TutorialStore = {
	getState(): TutorialState;
	dispatch(action: TutorialAction): void;
	subscribe(listener: () => void): () => void;
};

export function createTutorialStore(course: Course, messages: Messages, start?: Partial<Resume>): TutorialStore {
	let state = initialTutorial(course, start, messages);
	const listeners = new Set<() => void>();
	return {
		getState: () => state,
		dispatch(action) {
			const next = tutorialReducer(state, action);
			if (next === state) return;
			state = next;
			for (const listener of listeners) listener();
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
	};
}
