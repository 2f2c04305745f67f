import {type EngineAction, type EngineState, initialState, reduce} from '../lessons/step-engine.js';
import type {Course} from '../lessons/types.js';
import {interpretKey, type KeyContext} from './key-map.js';

/*
 * The tutorial screen's state: the step engine's (which holds the current lab run), and
 * what only the screen cares about (an overlay, the menu's selection, the text's scroll, a
 * notice of its own). A pure reducer over a union of actions, like the step engine.
 */

export type Overlay = 'help' | 'menu' | null;

/** A side effect a key asked for; the app performs it (once per id). */
export type Request = {id: number; type: 'quit'; code: number} | {id: number; type: 'restart-lab'};

/** The fields of Ink's Key that the key map reads. */
export type KeyPress = Partial<Record<'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'return' | 'escape' | 'ctrl' | 'meta', boolean>>;

export type TutorialState = {
	readonly engine: EngineState;
	readonly overlay: Overlay;
	/** The menu's highlighted lesson. */
	readonly menu: number;
	/** First row of the step text shown. */
	readonly scroll: number;
	/** The app's own message (the engine has its notice); cleared on the next move or key. */
	readonly notice: string | null;
	/** The newest side effect asked for by a key. */
	readonly request: Request | null;
	readonly nextRequestId: number;
	/** Set by the quit key: from then on keys do nothing. */
	readonly quitting: boolean;
};

export type TutorialAction =
	| EngineAction
	| {type: 'overlay'; overlay: Overlay}
	| {type: 'menu-move'; by: number}
	| {type: 'scroll'; by: number; max: number}
	| {type: 'notice'; text: string | null}
	/** A key, interpreted against the newest state (several keys may arrive between two renders). */
	| ({type: 'input'; input: string; key: KeyPress} & KeyContext);

/** `lesson` is 0-based; out of range starts at the first lesson. */
export function initialTutorial(course: Course, lesson = 0): TutorialState {
	return {
		engine: initialState(course, {lesson, step: 0}),
		overlay: null,
		menu: lesson,
		scroll: 0,
		notice: null,
		request: null,
		nextRequestId: 1,
		quitting: false,
	};
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);

export function tutorialReducer(state: TutorialState, action: TutorialAction): TutorialState {
	switch (action.type) {
		case 'overlay': {
			return {...state, overlay: action.overlay, menu: state.engine.lesson, notice: null};
		}

		case 'menu-move': {
			const menu = clamp(state.menu + action.by, 0, state.engine.lessons.length - 1);
			return menu === state.menu ? state : {...state, menu};
		}

		case 'scroll': {
			const scroll = clamp(state.scroll + action.by, 0, Math.max(0, action.max));
			return scroll === state.scroll ? state : {...state, scroll};
		}

		case 'input': {
			if (state.quitting) return state;
			const intent = interpretKey(state, action.input, action.key, action);
			switch (intent.type) {
				case 'dispatch': {
					return intent.actions.reduce(tutorialReducer, state);
				}

				case 'quit': {
					return {...state, quitting: true, request: {id: state.nextRequestId, type: 'quit', code: intent.code}, nextRequestId: state.nextRequestId + 1};
				}

				case 'restart-lab': {
					return {...state, notice: null, request: {id: state.nextRequestId, type: 'restart-lab'}, nextRequestId: state.nextRequestId + 1};
				}

				case 'none': {
					return state;
				}
			}
		}

		case 'notice': {
			return action.text === state.notice ? state : {...state, notice: action.text};
		}

		default: {
			const engine = reduce(state.engine, action);
			if (engine === state.engine) return state;
			const moved = engine.lesson !== state.engine.lesson || engine.step !== state.engine.step;
			const byLearner = action.type !== 'lab-event' && action.type !== 'lab-reset' && action.type !== 'action-taken';
			return {
				...state,
				engine,
				scroll: moved ? 0 : state.scroll,
				notice: moved || byLearner ? null : state.notice,
				overlay: action.type === 'goto-lesson' ? null : state.overlay,
			};
		}
	}
}
