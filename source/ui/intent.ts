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
	/** The lesson highlighted in the menu. */
	| {type: 'menu-open'}
	| {type: 'restart-lab'}
	| {type: 'quit'; code: number};
