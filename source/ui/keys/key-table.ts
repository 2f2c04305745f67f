import {choiceLetter} from '../../lessons/choices.js';
import {answerOf, currentStep, promptStatus} from '../../lessons/step-engine.js';
import {signalCodes} from '../../signal-codes.js';
import type {Intent} from '../intent.js';
import type {KeyHint} from '../KeyHints.js';
import type {LabStatus} from '../lesson/lesson-screen.js';
import type {TutorialState} from '../tutorial-state.js';

/*
 * Every key of the tutorial, once: what it means where, and how the key hints line and the
 * help overlay name it. The input hook, the hints and the help all read this table
 * (key-lookup.ts), so they cannot disagree.
 */

/** Where the learner is: the lesson, or an overlay over it. */
export type Mode = 'lesson' | 'menu' | 'help';

export type KeyContext = {
	state: TutorialState;
	/** How far the step text can scroll, and how many rows a page is. */
	maxScroll: number;
	page: number;
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
	/** Its entry in the key hints line (in the table's order, the step's own keys first); null while it does not apply. */
	hint?: KeyHint | ((context: KeyContext) => KeyHint | null);
	/** Its line in the help overlay, in the table's order. */
	help?: HelpLine | ((lessonCount: number) => HelpLine);
};

const digits = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
const lessonCount = ({state}: KeyContext) => state.engine.lessons.length;

/** A number key's lesson, if the course has it. */
function numbered(name: string, context: KeyContext): Intent | null {
	const index = Number(name) - 1;
	return index < lessonCount(context) ? {type: 'goto-lesson', index} : null;
}

const promptWords = {'drop-on': 'drop', 'drop-off': 'allow', restart: 'restart'} as const;

function promptHint({state}: KeyContext): KeyHint | null {
	const step = currentStep(state.engine);
	if (step.kind !== 'prompt' || promptStatus(state.engine) !== 'waiting-for-key') return null;
	// Without a firewall tool only a restart can be done.
	if (step.action !== 'restart' && state.engine.run.firewallProblem !== null) return null;
	return {key: step.key, label: promptWords[step.action], priority: 6, highlight: true};
}

function answerHint({state}: KeyContext): KeyHint | null {
	const step = currentStep(state.engine);
	if (step.kind !== 'question' || answerOf(state.engine) !== undefined) return null;
	return {key: `a–${choiceLetter(step.choices.length - 1)}`, label: 'answer', priority: 6, highlight: true};
}

const stepKey = (name: string): Intent => ({type: 'key', key: name});

export const keyTable: readonly KeyBinding[] = [
	// The lesson.
	{
		modes: ['lesson'],
		keys: ['right', ' ', 'return'],
		intent: () => ({type: 'next'}),
		hint: {key: '→', label: 'next', priority: 5},
		help: {keys: '→ space enter', what: 'next step'},
	},
	{
		modes: ['lesson'],
		keys: ['left'],
		intent: () => ({type: 'prev'}),
		hint: {key: '←', label: 'back', priority: 3},
		help: {keys: '←', what: 'previous step'},
	},
	{
		modes: ['lesson'],
		keys: ['up', 'down', 'pageup', 'pagedown'],
		intent(name, {maxScroll, page}) {
			const by = {up: -1, down: 1, pageup: -page, pagedown: page}[name] ?? 0;
			return {type: 'scroll', by, max: maxScroll};
		},
		hint: ({maxScroll}) => (maxScroll > 0 ? {key: '↑↓', label: 'scroll', priority: 4} : null),
		help: {keys: '↑ ↓', what: 'scroll a long step'},
	},
	{
		modes: ['lesson'],
		keys: ['n', 'p'],
		intent: name => ({type: 'lesson-by', by: name === 'n' ? 1 : -1}),
		hint: {key: 'n/p', label: 'lesson', priority: 2},
		help: {keys: 'n p', what: 'next / previous lesson'},
	},
	{
		modes: ['lesson'],
		keys: digits,
		intent: numbered,
		help: count => ({keys: `1–${count}`, what: 'go to that lesson'}),
	},
	{
		modes: ['lesson'],
		keys: ['m'],
		intent: () => ({type: 'overlay', overlay: 'menu'}),
		hint: {key: 'm', label: 'menu', priority: 2},
		help: {keys: 'm', what: 'list of lessons'},
	},
	{
		modes: ['lesson'],
		keys: {step: 'question'},
		intent: stepKey,
		hint: answerHint,
		help: {keys: 'a b c …', what: 'answer a question'},
	},
	{
		modes: ['lesson'],
		keys: {step: 'prompt'},
		intent: stepKey,
		hint: promptHint,
		help: {keys: 'd …', what: 'the key a step asks for'},
	},
	{
		modes: ['lesson'],
		keys: ['r'],
		intent: () => ({type: 'restart-lab'}),
		hint: ({lab}) => (lab === 'none' ? null : {key: 'r', label: lab === 'unavailable' ? 'try the lab again' : 'restart lab', priority: 1}),
		help: {keys: 'r', what: 'restart the lab'},
	},
	{
		modes: ['lesson', 'menu'],
		keys: ['?'],
		intent: () => ({type: 'overlay', overlay: 'help'}),
		hint: ({state}) => (state.overlay === null ? {key: '?', label: 'help', priority: 3} : null),
		help: {keys: '?', what: 'this help'},
	},
	// The menu of lessons.
	{
		modes: ['menu'],
		keys: ['up', 'k', 'down', 'j'],
		intent: name => ({type: 'menu-move', by: name === 'up' || name === 'k' ? -1 : 1}),
		hint: {key: '↑↓', label: 'choose', priority: 4},
	},
	{
		modes: ['menu'],
		keys: ['return', 'right', ' '],
		intent: () => ({type: 'menu-open'}),
		hint: {key: 'enter', label: 'open', priority: 4},
	},
	{
		modes: ['menu'],
		keys: digits,
		intent: numbered,
		hint: context => ({key: `1–${lessonCount(context)}`, label: 'lesson', priority: 2}),
	},
	{
		modes: ['menu'],
		keys: ['escape', 'left', 'm'],
		intent: () => ({type: 'overlay', overlay: null}),
		hint: {key: 'esc', label: 'close', priority: 3},
	},
	// The help.
	{
		modes: ['help'],
		keys: 'any',
		intent: () => ({type: 'overlay', overlay: null}),
		hint: {key: 'any key', label: 'close', priority: 5},
	},
	// Everywhere.
	{
		modes: ['lesson', 'menu', 'help'],
		keys: ['q', 'ctrl-c'],
		// Ctrl-C exits as the shell reports an interrupted program.
		intent: name => ({type: 'quit', code: name === 'q' ? 0 : signalCodes.SIGINT}),
		hint: {key: 'q', label: 'quit', priority: 5},
		help: {keys: 'q Ctrl-C', what: 'quit (the lab stops first)'},
	},
];
