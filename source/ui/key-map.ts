import {consumesKey, currentLesson} from '../lessons/step-engine.js';
import type {KeyPress, TutorialAction, TutorialState} from './tutorial-state.js';

/** What a key means right now; the input hook carries it out. */
export type Intent =
	| {type: 'dispatch'; actions: TutorialAction[]}
	| {type: 'quit'; code: number}
	| {type: 'restart-lab'}
	| {type: 'none'};

export type KeyContext = {
	/** How far the step text can scroll, and how many rows a page is. */
	maxScroll: number;
	page: number;
};

const none: Intent = {type: 'none'};
const act = (...actions: TutorialAction[]): Intent => ({type: 'dispatch', actions});

/** Ctrl-C's exit code, as the shell reports an interrupted program: 128 + SIGINT. */
export const interruptedCode = 130;

function lessonNumber(input: string, count: number): number | null {
	if (!/^[1-9]$/.test(input)) return null;
	const index = Number(input) - 1;
	return index < count ? index : null;
}

/**
 * The key map, pure. Order: Ctrl-C and the overlays first; then the keys the current step
 * asks for (answers, a prompt's key), then the global keys.
 */
export function interpretKey(state: TutorialState, input: string, key: KeyPress, context: KeyContext): Intent {
	if (key.ctrl && input === 'c') return {type: 'quit', code: interruptedCode};
	const {engine} = state;
	const count = engine.lessons.length;

	if (state.overlay === 'help') {
		if (input === 'q') return {type: 'quit', code: 0};
		return act({type: 'overlay', overlay: null});
	}

	if (state.overlay === 'menu') {
		const number = lessonNumber(input, count);
		if (number !== null) return act({type: 'goto-lesson', index: number});
		if (key.upArrow || input === 'k') return act({type: 'menu-move', by: -1});
		if (key.downArrow || input === 'j') return act({type: 'menu-move', by: 1});
		if (key.return || key.rightArrow || input === ' ') return act({type: 'goto-lesson', index: state.menu});
		if (input === 'q') return {type: 'quit', code: 0};
		if (key.escape || key.leftArrow || input === 'm') return act({type: 'overlay', overlay: null});
		if (input === '?') return act({type: 'overlay', overlay: 'help'});
		return none;
	}

	const printable = input.length === 1 && /^[\u0021-\u007E]$/.test(input) && !key.ctrl && !key.meta;
	if (printable && input !== 'q' && input !== '?' && consumesKey(engine, input)) return act({type: 'key', key: input});

	if (key.rightArrow || key.return || input === ' ') return act({type: 'next'});
	if (key.leftArrow) return act({type: 'prev'});
	if (key.upArrow) return act({type: 'scroll', by: -1, max: context.maxScroll});
	if (key.downArrow) return act({type: 'scroll', by: 1, max: context.maxScroll});
	if (key.pageUp) return act({type: 'scroll', by: -context.page, max: context.maxScroll});
	if (key.pageDown) return act({type: 'scroll', by: context.page, max: context.maxScroll});

	const number = lessonNumber(input, count);
	if (number !== null) return act({type: 'goto-lesson', index: number});
	switch (input) {
		case 'n': {
			return engine.lesson + 1 < count
				? act({type: 'goto-lesson', index: engine.lesson + 1})
				: act({type: 'notice', text: 'This is the last lesson.'});
		}

		case 'p': {
			return engine.lesson > 0 ? act({type: 'goto-lesson', index: engine.lesson - 1}) : act({type: 'notice', text: 'This is the first lesson.'});
		}

		case 'm': {
			return act({type: 'overlay', overlay: 'menu'});
		}

		case '?': {
			return act({type: 'overlay', overlay: 'help'});
		}

		case 'r': {
			return currentLesson(engine).lab
				? {type: 'restart-lab'}
				: act({type: 'notice', text: 'This lesson has no lab; the lab runs in lessons that show it on the right.'});
		}

		case 'q': {
			return {type: 'quit', code: 0};
		}

		default: {
			return none;
		}
	}
}
