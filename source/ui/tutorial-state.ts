import type {Exercise} from '../exercises/types.js';
import type {Verdict} from '../exercises/verdict.js';
import type {Side} from '../lab/shared/events.js';
import type {KeepaliveParams} from '../lab/shared/params.js';
import {currentLesson, type EngineAction, type EngineState, initialState, type PendingAction, reduce} from '../lessons/step-engine.js';
import type {Course} from '../lessons/types.js';
import type {ExerciseProgress, Resume} from '../progress/progress.js';
import {
	eraseDigit,
	type ExerciseScreen,
	formParams,
	hintsShown,
	isRunning,
	moveFocus,
	openExercise,
	refuse,
	reported,
	showHint,
	showSolution,
	solutionShown,
	typeDigit,
} from './exercise/exercise-state.js';
import type {Intent, Overlay} from './intent.js';
import {en, type Messages} from './messages/messages.js';

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
	/** With `serverKeepalive`: the new run has the server's keepalive so. */
	| {readonly type: 'restart-lab'; readonly serverKeepalive?: boolean}
	| {readonly type: 'drop'; readonly on: boolean}
	| {readonly type: 'send'; readonly side: Side; readonly text: string}
	| {readonly type: 'freeze'; readonly on: boolean}
	| {readonly type: 'quit'; readonly code: number}
	/** Runs the exercise on a lab of its own with these values; done once that lab has stopped. */
	| {readonly type: 'run-exercise'; readonly exercise: Exercise; readonly params: KeepaliveParams}
);

export type TutorialState = {
	readonly engine: EngineState;
	/** The words of the tutorial's language: its notices, its key hints. */
	readonly messages: Messages;
	readonly overlay: Overlay;
	/** The menu's highlighted row: a lesson's index, or the lessons' count plus an exercise's. */
	readonly menu: number;
	readonly exercises: readonly Exercise[];
	/** The exercise on screen instead of the lesson; null on the lesson. */
	readonly exercise: ExerciseScreen | null;
	/** By exercise id: passed, and the values last run. */
	readonly exerciseProgress: Readonly<Record<string, ExerciseProgress>>;
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
	/** From an exercise's runner: the verdict so far, or (done) the last one, and why the run ended early. */
	| {type: 'exercise-report'; id: number; verdict: Verdict; done?: boolean; failure?: string}
	/** Something outside the screen to tell the learner (a progress file that could not be used or saved). */
	| {type: 'notice'; text: string};

/**
 * Where to start (a 0-based lesson and step, what was done before, the exercises tried and
 * the one on screen; out of range starts at the first lesson), in the words of `messages`
 * (English unless told).
 */
export function initialTutorial(course: Course, start: Partial<Resume> = {}, messages: Messages = en): TutorialState {
	const engine = initialState(course, start);
	const exerciseProgress = start.exercises ?? {};
	const resumed = start.exercise === undefined ? undefined : course.exercises[start.exercise];
	return {
		engine,
		messages,
		overlay: null,
		menu: engine.lesson,
		exercises: course.exercises,
		exercise: resumed ? openExercise(start.exercise!, exerciseProgress[resumed.id]?.tried) : null,
		exerciseProgress,
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
function engineCommand({id, action, writes}: PendingAction): CommandBody {
	switch (action) {
		case 'restart': {
			return {type: 'restart-lab', engineAction: id};
		}

		case 'keepalive-on':
		case 'keepalive-off': {
			return {type: 'restart-lab', serverKeepalive: action === 'keepalive-on', engineAction: id};
		}

		case 'drop-on':
		case 'drop-off': {
			return {type: 'drop', on: action === 'drop-on', engineAction: id};
		}

		case 'send-client':
		case 'send-server': {
			return {type: 'send', side: action === 'send-client' ? 'client' : 'server', text: writes ?? '', engineAction: id};
		}

		case 'freeze':
		case 'resume': {
			return {type: 'freeze', on: action === 'freeze', engineAction: id};
		}
	}
}

/** The exercise `index` on screen, its form filled with the values last tried. */
function toExercise(state: TutorialState, index: number): TutorialState {
	const exercise = state.exercises[index];
	if (!exercise) return state;
	return {...state, overlay: null, notice: null, scroll: 0, exercise: openExercise(index, state.exerciseProgress[exercise.id]?.tried)};
}

/** The exercise screen changed by `change`, when one is on screen; while a run is on, the form waits for it. */
function onForm(state: TutorialState, change: (screen: ExerciseScreen) => ExerciseScreen): TutorialState {
	const screen = state.exercise;
	if (!screen) return state;
	if (isRunning(screen)) return noticed(state, state.messages.exercise.wait);
	const next = change(screen);
	return next === screen && state.notice === null ? state : {...state, exercise: next, notice: null};
}

function runExercise(state: TutorialState, screen: ExerciseScreen): TutorialState {
	const exercise = state.exercises[screen.index];
	if (!exercise) return state;
	if (isRunning(screen)) return noticed(state, state.messages.exercise.wait);
	const form = formParams(exercise, screen);
	if ('invalid' in form) return {...state, exercise: refuse(screen, form.invalid), notice: null};
	const {params} = form;
	const run = {id: state.nextCommandId, params, phase: 'starting', verdict: null, failure: null} as const;
	const tried = {passed: state.exerciseProgress[exercise.id]?.passed ?? false, tried: params};
	const next = {...state, notice: null, exercise: {...screen, run}, exerciseProgress: {...state.exerciseProgress, [exercise.id]: tried}};
	return ask(next, {type: 'run-exercise', exercise, params});
}

/** A report of an exercise's run: the screen shows it, and a pass is kept. */
function exerciseReport(state: TutorialState, action: Extract<TutorialAction, {type: 'exercise-report'}>): TutorialState {
	const screen = state.exercise;
	if (!screen) return state;
	const phase = action.done ? 'done' : 'running';
	const next = reported(screen, action.id, {phase, verdict: action.verdict, ...(action.failure === undefined ? {} : {failure: action.failure})});
	if (next === screen) return state;
	const exercise = state.exercises[screen.index];
	const passed = action.done && action.verdict.status === 'pass' && exercise && screen.run;
	return {
		...state,
		exercise: next,
		exerciseProgress: passed ? {...state.exerciseProgress, [exercise.id]: {passed: true, tried: screen.run.params}} : state.exerciseProgress,
	};
}

function exerciseBy(state: TutorialState, screen: ExerciseScreen, by: 1 | -1): TutorialState {
	const index = screen.index + by;
	if (index >= 0 && index < state.exercises.length) return toExercise(state, index);
	return noticed(state, by > 0 ? state.messages.exercise.last : state.messages.exercise.first);
}

export function tutorialReducer(state: TutorialState, action: TutorialAction): TutorialState {
	const screen = state.exercise;
	switch (action.type) {
		case 'overlay': {
			const menu = screen ? state.engine.lessons.length + screen.index : state.engine.lesson;
			return {...state, overlay: action.overlay, menu, notice: null};
		}

		case 'menu-move': {
			const menu = clamp(state.menu + action.by, 0, state.engine.lessons.length + state.exercises.length - 1);
			return menu === state.menu ? state : {...state, menu};
		}

		case 'menu-open': {
			const lessons = state.engine.lessons.length;
			if (state.menu >= lessons) return toExercise(state, state.menu - lessons);
			return tutorialReducer(state, {type: 'goto-lesson', index: state.menu});
		}

		case 'goto-lesson': {
			// Back to the lessons, also to the lesson the engine is on already.
			return engineStep(screen || state.overlay ? {...state, exercise: null, overlay: null, scroll: 0} : state, action);
		}

		case 'next': {
			// The course goes on with its exercises.
			if (state.engine.finished && state.exercises.length > 0) return toExercise(state, 0);
			return engineStep(state, action);
		}

		case 'exercise-by': {
			return screen ? exerciseBy(state, screen, action.by) : state;
		}

		case 'form-digit': {
			return onForm(state, form => typeDigit(form, action.digit));
		}

		case 'form-erase': {
			return onForm(state, eraseDigit);
		}

		case 'form-move': {
			return onForm(state, form => moveFocus(form, action.by));
		}

		case 'exercise-run': {
			return screen ? runExercise(state, screen) : state;
		}

		case 'exercise-hint': {
			const exercise = screen && state.exercises[screen.index];
			if (!screen || !exercise) return state;
			if (hintsShown(screen) >= exercise.hints.length) return noticed(state, state.messages.exercise.noMoreHints);
			return {...state, exercise: showHint(exercise, screen), notice: null, scroll: action.scroll};
		}

		case 'exercise-solution': {
			return screen && !solutionShown(screen) ? {...state, exercise: showSolution(screen), notice: null, scroll: action.scroll} : state;
		}

		case 'exercise-report': {
			return exerciseReport(state, action);
		}

		case 'scroll': {
			const scroll = clamp(state.scroll + action.by, 0, Math.max(0, action.max));
			return scroll === state.scroll ? state : {...state, scroll};
		}

		case 'lesson-by': {
			const index = state.engine.lesson + action.by;
			if (index >= 0 && index < state.engine.lessons.length) return engineStep(state, {type: 'goto-lesson', index});
			// After the last lesson come the exercises.
			if (index === state.engine.lessons.length && state.exercises.length > 0) return toExercise(state, 0);
			return noticed(state, action.by > 0 ? state.messages.app.lastLesson : state.messages.app.firstLesson);
		}

		case 'restart-lab': {
			if (!currentLesson(state.engine).lab) {
				return noticed(state, state.messages.app.noLab);
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
			// An exercise that could not run says why in its own place.
			if (command.type === 'run-exercise') {
				return action.error === undefined || !next.exercise ? next : {...next, exercise: reported(next.exercise, command.id, {phase: 'done', failure: action.error})};
			}

			return action.error === undefined ? next : noticed(next, state.messages.app.labFailed(action.error));
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
		// The exercise on screen stays while the lab's events go on.
		exercise: byLearner ? null : state.exercise,
	};
	const asked = engine.pendingAction;
	return asked && asked.id !== state.engine.pendingAction?.id ? ask(next, engineCommand(asked)) : next;
}
