import {consumesKey, currentStep} from '../../lessons/step-engine.js';
import type {Intent} from '../intent.js';
import type {KeyHint} from '../KeyHints.js';
import {en, type Messages} from '../messages/messages.js';
import type {TutorialState} from '../tutorial-state.js';
import {type HelpLine, type KeyBinding, type KeyContext, keyTable, type Mode} from './key-table.js';

/* The key table's three readers: the input hook's, the key hints line's and the help overlay's. */

export function modeOf(state: TutorialState): Mode {
	return state.overlay ?? (state.exercise ? 'exercise' : 'lesson');
}

/** One character a step may ask for; never q or ?, which keep their meaning on every step. */
const stepKeyPattern = /^[\u0021-\u007E]$/;

function takes({keys}: KeyBinding, name: string, state: TutorialState): boolean {
	if (keys === 'any') return true;
	if ('step' in keys) {
		return stepKeyPattern.test(name) && name !== 'q' && name !== '?' && currentStep(state.engine).kind === keys.step && consumesKey(state.engine, name);
	}

	return keys.includes(name);
}

/** The step's own keys first, then the named keys, then a catch-all. */
const rank = ({keys}: KeyBinding) => (keys === 'any' ? 2 : 'step' in keys ? 0 : 1);

/** What the key named `name` means now (see key-name.ts); null: nothing. */
export function intentFor(name: string, context: KeyContext): Intent | null {
	// From the quit key on, keys do nothing.
	if (context.state.quitting) return null;
	const mode = modeOf(context.state);
	const bindings = keyTable.filter(binding => binding.modes.includes(mode) && takes(binding, name, context.state));
	const binding = bindings.sort((a, b) => rank(a) - rank(b))[0];
	return binding?.intent(name, context) ?? null;
}

/** The key hints line: the keys that apply now, in the table's order, the ones the step asks for first. */
export function hintsFor(context: KeyContext): KeyHint[] {
	const mode = modeOf(context.state);
	const words = context.state.messages.hints;
	const hints = keyTable
		.filter(binding => binding.modes.includes(mode))
		.map(({hint}) => hint?.(context, words))
		.filter((hint): hint is KeyHint => hint !== null && hint !== undefined);
	return [...hints.filter(hint => hint.highlight), ...hints.filter(hint => !hint.highlight)];
}

/** The screen under an overlay: a lesson, or an exercise. */
export type Screen = Extract<Mode, 'lesson' | 'exercise'>;

/** The help overlay's keys of the screen under it, in the table's order, in the words of `messages` (English unless told). */
export function helpLinesFor(lessonCount: number, messages: Messages = en, screen: Screen = 'lesson'): HelpLine[] {
	return keyTable.flatMap(({help, modes}) => (help === undefined || !modes.includes(screen) ? [] : [help(messages.help, lessonCount)]));
}
