import {choiceLetter} from '../../lessons/choices.js';
import {answerOf, currentStep, needsFirewall, promptStatus} from '../../lessons/step-engine.js';
import {signalCodes} from '../../signal-codes.js';
import {hintsShown, isRunning, solutionShown} from '../exercise/exercise-state.js';
import type {Intent} from '../intent.js';
import type {KeyHint} from '../KeyHints.js';
import type {LabStatus} from '../lesson/lesson-screen.js';
import type {Messages} from '../messages/messages.js';
import type {TutorialState} from '../tutorial-state.js';

/*
 * Every key of the tutorial, once: what it means where, and how the key hints line and the
 * help overlay name it. The input hook, the hints and the help all read this table
 * (key-lookup.ts), so they cannot disagree.
 */

/** Where the learner is: a lesson, an exercise, or an overlay over either. */
export type Mode = 'lesson' | 'exercise' | 'menu' | 'help';

export type KeyContext = {
	state: TutorialState;
	/** How far the step text can scroll, how many rows a page is, and how many rows the text has (where what is shown next starts). */
	maxScroll: number;
	page: number;
	textRows?: number;
	lab: LabStatus;
};

export type HelpLine = {keys: string; what: string};

export type KeyBinding = {
	modes: readonly Mode[];
	/**
	 * The keys it takes (named as key-name.ts names them); or the current step's own keys
	 * (a prompt's key, a question's letters), which come before every named key; or any key
	 * that no other binding of the mode takes.
	 */
	keys: readonly string[] | {step: 'prompt' | 'question'} | 'any';
	/** What the key means; null: nothing, here. */
	intent: (name: string, context: KeyContext) => Intent | null;
	/** Its entry in the key hints line (in the table's order, the step's own keys first), in the state's words; null while it does not apply. */
	hint?: (context: KeyContext, words: Messages['hints']) => KeyHint | null;
	/** Its line in the help overlay, in the table's order. */
	help?: (words: Messages['help'], lessonCount: number) => HelpLine;
};

/** The exercise on screen and whether its form takes keys (no run is on). */
function exerciseOf({state}: KeyContext) {
	const screen = state.exercise;
	const exercise = screen ? state.exercises[screen.index] : undefined;
	return screen && exercise ? {screen, exercise, idle: !isRunning(screen)} : null;
}

/** The last run failed (or could not be decided): the solution is offered. */
function failedLast(context: KeyContext): boolean {
	const run = exerciseOf(context)?.screen.run;
	return run?.phase === 'done' && run.verdict?.status !== 'pass';
}

const digits = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
const lessonCount = ({state}: KeyContext) => state.engine.lessons.length;
/** The last lesson a number key reaches: one digit each, the menu reaches the rest. */
const lastNumbered = (count: number) => Math.min(count, digits.length);

/** A number key's lesson, if the course has it. */
function numbered(name: string, context: KeyContext): Intent | null {
	const index = Number(name) - 1;
	return index < lessonCount(context) ? {type: 'goto-lesson', index} : null;
}

function promptHint({state}: KeyContext, words: Messages['hints']): KeyHint | null {
	const step = currentStep(state.engine);
	if (step.kind !== 'prompt' || promptStatus(state.engine) !== 'waiting-for-key') return null;
	// Without a firewall tool the drop cannot be done.
	if (needsFirewall(step.action) && state.engine.run.firewallProblem !== null) return null;
	return {key: step.key, label: words.prompt[step.action], priority: 6, highlight: true};
}

function answerHint({state}: KeyContext, words: Messages['hints']): KeyHint | null {
	const step = currentStep(state.engine);
	if (step.kind !== 'question' || answerOf(state.engine) !== undefined) return null;
	return {key: `a–${choiceLetter(step.choices.length - 1)}`, label: words.answer, priority: 6, highlight: true};
}

const stepKey = (name: string): Intent => ({type: 'key', key: name});

export const keyTable: readonly KeyBinding[] = [
	// The lesson.
	{
		modes: ['lesson'],
		keys: ['right', ' ', 'return'],
		intent: () => ({type: 'next'}),
		hint: (_context, words) => ({key: '→', label: words.next, priority: 5}),
		help: words => ({keys: words.nextKeys, what: words.next}),
	},
	{
		modes: ['lesson'],
		keys: ['left'],
		intent: () => ({type: 'prev'}),
		hint: (_context, words) => ({key: '←', label: words.back, priority: 3}),
		help: words => ({keys: '←', what: words.prev}),
	},
	{
		modes: ['lesson', 'exercise'],
		keys: ['up', 'down', 'pageup', 'pagedown'],
		intent(name, {maxScroll, page}) {
			const by = {up: -1, down: 1, pageup: -page, pagedown: page}[name] ?? 0;
			return {type: 'scroll', by, max: maxScroll};
		},
		hint: ({maxScroll}, words) => (maxScroll > 0 ? {key: '↑↓', label: words.scroll, priority: 4} : null),
		help: words => ({keys: '↑ ↓', what: words.scroll}),
	},
	{
		modes: ['lesson'],
		keys: ['n', 'p'],
		intent: name => ({type: 'lesson-by', by: name === 'n' ? 1 : -1}),
		hint: (_context, words) => ({key: 'n/p', label: words.lesson, priority: 2}),
		help: words => ({keys: 'n p', what: words.lessonBy}),
	},
	{
		modes: ['lesson'],
		keys: digits,
		intent: numbered,
		help: (words, count) => ({keys: `1–${lastNumbered(count)}`, what: words.gotoLesson}),
	},
	{
		modes: ['lesson', 'exercise'],
		keys: ['m'],
		intent: () => ({type: 'overlay', overlay: 'menu'}),
		hint: (_context, words) => ({key: 'm', label: words.menu, priority: 2}),
		help: words => ({keys: 'm', what: words.menu}),
	},
	{
		modes: ['lesson'],
		keys: {step: 'question'},
		intent: stepKey,
		hint: answerHint,
		help: words => ({keys: 'a b c …', what: words.answer}),
	},
	{
		modes: ['lesson'],
		keys: {step: 'prompt'},
		intent: stepKey,
		hint: promptHint,
		help: words => ({keys: 'd …', what: words.stepKey}),
	},
	{
		modes: ['lesson'],
		keys: ['r'],
		intent: () => ({type: 'restart-lab'}),
		hint: ({lab}, words) => (lab === 'none' ? null : {key: 'r', label: lab === 'unavailable' ? words.tryLabAgain : words.restartLab, priority: 1}),
		help: words => ({keys: 'r', what: words.restartLab}),
	},
	// An exercise.
	{
		modes: ['exercise'],
		keys: ['0', ...digits],
		intent: name => ({type: 'form-digit', digit: name}),
		hint: (context, words) => (exerciseOf(context)?.idle ? {key: '0–9', label: words.value, priority: 4} : null),
		help: words => ({keys: '0–9 ⌫', what: words.value}),
	},
	{
		modes: ['exercise'],
		keys: ['backspace', 'delete'],
		intent: () => ({type: 'form-erase'}),
	},
	{
		modes: ['exercise'],
		keys: ['tab', 'right', 'shift-tab', 'left'],
		intent: name => ({type: 'form-move', by: name === 'tab' || name === 'right' ? 1 : -1}),
		hint: (context, words) => (exerciseOf(context)?.idle ? {key: 'tab', label: words.field, priority: 3} : null),
		help: words => ({keys: 'tab ← →', what: words.field}),
	},
	{
		modes: ['exercise'],
		keys: ['return', 'r'],
		intent: () => ({type: 'exercise-run'}),
		hint(context, words) {
			const shown = exerciseOf(context);
			if (!shown?.idle) return null;
			return {key: 'enter', label: shown.screen.run ? words.runAgain : words.run, priority: 6, highlight: shown.screen.run === null || shown.screen.run.verdict?.status !== 'pass'};
		},
		help: words => ({keys: 'enter r', what: words.run}),
	},
	{
		modes: ['exercise'],
		keys: ['h'],
		intent: (_name, {textRows = 0}) => ({type: 'exercise-hint', scroll: textRows}),
		hint(context, words) {
			const shown = exerciseOf(context);
			return shown && hintsShown(shown.screen) < shown.exercise.hints.length ? {key: 'h', label: words.hint, priority: 4} : null;
		},
		help: words => ({keys: 'h', what: words.hint}),
	},
	{
		modes: ['exercise'],
		keys: ['s'],
		intent: (_name, {textRows = 0}) => ({type: 'exercise-solution', scroll: textRows}),
		// Offered after a failed try; there on request before.
		hint(context, words) {
			const shown = exerciseOf(context);
			if (!shown || solutionShown(shown.screen)) return null;
			const offered = failedLast(context);
			return {key: 's', label: words.solution, priority: offered ? 5 : 1, highlight: offered};
		},
		help: words => ({keys: 's', what: words.solution}),
	},
	{
		modes: ['exercise'],
		keys: ['n', 'p'],
		intent: name => ({type: 'exercise-by', by: name === 'n' ? 1 : -1}),
		hint: (_context, words) => ({key: 'n/p', label: words.exercise, priority: 2}),
		help: words => ({keys: 'n p', what: words.exerciseBy}),
	},
	{
		modes: ['lesson', 'exercise', 'menu'],
		keys: ['?'],
		intent: () => ({type: 'overlay', overlay: 'help'}),
		hint: ({state}, words) => (state.overlay === null ? {key: '?', label: words.help, priority: 3} : null),
		help: words => ({keys: '?', what: words.help}),
	},
	// The menu of lessons.
	{
		modes: ['menu'],
		keys: ['up', 'k', 'down', 'j'],
		intent: name => ({type: 'menu-move', by: name === 'up' || name === 'k' ? -1 : 1}),
		hint: (_context, words) => ({key: '↑↓', label: words.choose, priority: 4}),
	},
	{
		modes: ['menu'],
		keys: ['return', 'right', ' '],
		intent: () => ({type: 'menu-open'}),
		hint: (_context, words) => ({key: 'enter', label: words.open, priority: 4}),
	},
	{
		modes: ['menu'],
		keys: digits,
		intent: numbered,
		hint: (context, words) => ({key: `1–${lastNumbered(lessonCount(context))}`, label: words.lesson, priority: 2}),
	},
	{
		modes: ['menu'],
		keys: ['escape', 'left', 'm'],
		intent: () => ({type: 'overlay', overlay: null}),
		hint: (_context, words) => ({key: 'esc', label: words.close, priority: 3}),
	},
	// The help.
	{
		modes: ['help'],
		keys: 'any',
		intent: () => ({type: 'overlay', overlay: null}),
		hint: (_context, words) => ({key: words.anyKey, label: words.close, priority: 5}),
	},
	// Everywhere.
	{
		modes: ['lesson', 'exercise', 'menu', 'help'],
		keys: ['q', 'ctrl-c'],
		// Ctrl-C exits as the shell reports an interrupted program.
		intent: name => ({type: 'quit', code: name === 'q' ? 0 : signalCodes.SIGINT}),
		hint: (_context, words) => ({key: 'q', label: words.quit, priority: 5}),
		help: words => ({keys: 'q Ctrl-C', what: words.quit}),
	},
];
