import type {EngineAction} from '../lessons/step-engine.js';

export type Overlay = 'help' | 'menu' | null;

/**
 * What a key means, as the key table says (keys/key-table.ts); the tutorial's reducer
 * takes these. What depends on where the tutorial stands (is there a next lesson, does
 * this lesson have a lab) the reducer decides, so that keys typed faster than the screen
 * redraws still act on the newest state.
 */
export type Intent =
	| Extract<EngineAction, {type: 'next' | 'prev' | 'goto-lesson' | 'key'}>
	/** n / p: the next or previous lesson, or a notice at either end. */
	| {type: 'lesson-by'; by: 1 | -1}
	| {type: 'scroll'; by: number; max: number}
	| {type: 'overlay'; overlay: Overlay}
	| {type: 'menu-move'; by: number}
	/** The lesson or exercise highlighted in the menu. */
	| {type: 'menu-open'}
	| {type: 'restart-lab'}
	| {type: 'quit'; code: number}
	/** n / p on an exercise: the next or previous one, or a notice at either end. */
	| {type: 'exercise-by'; by: 1 | -1}
	/** The exercise form: a digit into the focused field, one erased, the focus moved round the fields. */
	| {type: 'form-digit'; digit: string}
	| {type: 'form-erase'}
	| {type: 'form-move'; by: 1 | -1}
	/** Run the exercise with the form's values (refused, with the range, for a bad one). */
	| {type: 'exercise-run'}
	/** The next hint, or the solution, shown under the text: `scroll` is where it starts (the text's rows so far). */
	| {type: 'exercise-hint'; scroll: number}
	| {type: 'exercise-solution'; scroll: number};
