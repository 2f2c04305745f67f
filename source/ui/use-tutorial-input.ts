import {useInput} from 'ink';
import type {KeyContext} from './key-map.js';
import type {TutorialAction} from './tutorial-state.js';

export type TutorialInputOptions = KeyContext & {
	dispatch: (action: TutorialAction) => void;
	isActive?: boolean;
};

/**
 * The tutorial's input hook: every key goes to the reducer, which reads it against the
 * newest state (see key-map.ts), so fast typing never acts on a stale screen.
 */
export function useTutorialInput({dispatch, maxScroll, page, isActive = true}: TutorialInputOptions): void {
	useInput(
		(input, key) => {
			const {upArrow, downArrow, leftArrow, rightArrow, pageUp, pageDown, escape, ctrl, meta} = key;
			dispatch({
				type: 'input',
				input,
				key: {upArrow, downArrow, leftArrow, rightArrow, pageUp, pageDown, return: key.return, escape, ctrl, meta},
				maxScroll,
				page,
			});
		},
		{isActive},
	);
}
