import {currentLesson, type EngineAction, type EngineState, initialState, type PendingAction, reduce, type SavedProgress} from '../lessons/step-engine.js';
import type {Course} from '../lessons/types.js';
import type {Intent, Overlay} from './intent.js';

/*
 * The tutorial screen's state: the step engine's (which holds the current lab run), and
 * what only the screen cares about (an overlay, the menu's selection, the text's scroll, a
 * notice of its own). A pure reducer over the learner's intents and what the lab reports.
 */

/**
 * A side effect asked for by a key or by the step engine (its pendingAction, whose id it
 * keeps): the app carries out each once, in order, and reports `command-done`.
 */
export type Command = CommandBody & {readonly id: number};

type CommandBody = {readonly engineAction?: number} & (
	| {readonly type: 'restart-lab'}
	| {readonly type: 'drop'; readonly on: boolean}
	| {readonly type: 'quit'; readonly code: number}
);

export type TutorialState = {
	readonly engine: EngineState;
	readonly overlay: Overlay;
	/** The menu's highlighted lesson. */
	readonly menu: number;
	/** First row of the step text shown. */
	readonly scroll: number;
	/** The app's own message (the engine has its notice); cleared on the next move or key. */
	readonly notice: string | null;
	/** Asked for and not done yet, oldest first. */
	readonly commands: readonly Command[];
	readonly nextCommandId: number;
	/** Set by the quit key: from then on keys do nothing. */
	readonly quitting: boolean;
	/** Set once the quit is done (the lab has stopped): the app exits with it. */
	readonly exitCode: number | null;
};

export type TutorialAction =
	| Intent
	/** From the lab store: a new run started, or an event of the current run. */
	| Extract<EngineAction, {type: 'lab-reset' | 'lab-event'}>
	| {type: 'command-done'; id: number; error?: string}
	/** Something outside the screen to tell the learner (a progress file that could not be used or saved). */
	| {type: 'notice'; text: string};

/** Where to start (a 0-based lesson and step, what was done before); out of range starts at the first lesson. */
export function initialTutorial(course: Course, start: Partial<SavedProgress> = {}): TutorialState {
	const engine = initialState(course, start);
	return {
		engine,
		overlay: null,
		menu: engine.lesson,
		scroll: 0,
		notice: null,
		commands: [],
		nextCommandId: 1,
		quitting: false,
		exitCode: null,
	};
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);

function ask(state: TutorialState, command: CommandBody): TutorialState {
	return {...state, commands: [...state.commands, {...command, id: state.nextCommandId}], nextCommandId: state.nextCommandId + 1};
}

function noticed(state: TutorialState, text: string | null): TutorialState {
	return text === state.notice ? state : {...state, notice: text};
}

/** The command that carries out what the step engine asks of the lab. */
function engineCommand({id, action}: PendingAction): CommandBody {
	return action === 'restart' ? {type: 'restart-lab', engineAction: id} : {type: 'drop', on: action === 'drop-on', engineAction: id};
}

export function tutorialReducer(state: TutorialState, action: TutorialAction): TutorialState {
	switch (action.type) {
		case 'overlay': {
			return {...state, overlay: action.overlay, menu: state.engine.lesson, notice: null};
		}

		case 'menu-move': {
			const menu = clamp(state.menu + action.by, 0, state.engine.lessons.length - 1);
			return menu === state.menu ? state : {...state, menu};
		}

		case 'menu-open': {
			return engineStep(state, {type: 'goto-lesson', index: state.menu});
		}

		case 'scroll': {
			const scroll = clamp(state.scroll + action.by, 0, Math.max(0, action.max));
			return scroll === state.scroll ? state : {...state, scroll};
		}

		case 'lesson-by': {
			const index = state.engine.lesson + action.by;
			if (index >= 0 && index < state.engine.lessons.length) return engineStep(state, {type: 'goto-lesson', index});
			return noticed(state, action.by > 0 ? 'This is the last lesson.' : 'This is the first lesson.');
		}

		case 'restart-lab': {
			if (!currentLesson(state.engine).lab) {
				return noticed(state, 'This lesson has no lab; the lab runs in lessons that show it on the right.');
			}

			return ask({...state, notice: null}, {type: 'restart-lab'});
		}

		case 'quit': {
			return ask({...state, quitting: true}, {type: 'quit', code: action.code});
		}

		case 'command-done': {
			const command = state.commands.find(({id}) => id === action.id);
			if (!command) return state;
			let next: TutorialState = {...state, commands: state.commands.filter(other => other !== command)};
			if (command.type === 'quit') next = {...next, exitCode: command.code};
			if (command.engineAction !== undefined) next = engineStep(next, {type: 'action-taken', id: command.engineAction});
			return action.error === undefined ? next : noticed(next, `The lab could not do that: ${action.error}.`);
		}

		case 'notice': {
			return noticed(state, action.text);
		}

		default: {
			return engineStep(state, action);
		}
	}
}

/** An action of the step engine; a lab action it newly asks for becomes a command. */
function engineStep(state: TutorialState, action: EngineAction): TutorialState {
	const engine = reduce(state.engine, action);
	if (engine === state.engine) return state;
	const moved = engine.lesson !== state.engine.lesson || engine.step !== state.engine.step;
	const byLearner = action.type !== 'lab-event' && action.type !== 'lab-reset' && action.type !== 'action-taken';
	const next: TutorialState = {
		...state,
		engine,
		scroll: moved ? 0 : state.scroll,
		notice: moved || byLearner ? null : state.notice,
		overlay: action.type === 'goto-lesson' ? null : state.overlay,
	};
	const asked = engine.pendingAction;
	return asked && asked.id !== state.engine.pendingAction?.id ? ask(next, engineCommand(asked)) : next;
}
