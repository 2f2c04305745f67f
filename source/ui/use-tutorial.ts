import {useReducer} from 'react';
import type {Course} from '../lessons/types.js';
import {initialTutorial, tutorialReducer} from './tutorial-state.js';

/** The tutorial's state hook: the step engine and the screen's own state in one reducer. */
export function useTutorial(course: Course, startLesson = 0) {
	const [state, dispatch] = useReducer(tutorialReducer, undefined, () => initialTutorial(course, startLesson));
	return {state, dispatch};
}
