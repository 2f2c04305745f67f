import {knobs} from '../../exercises/settings.js';
import type {Exercise} from '../../exercises/types.js';
import type {Verdict} from '../../exercises/verdict.js';
import type {KeepaliveParams} from '../../lab/shared/params.js';

/*
 * The exercise screen's own state: the form of the learner's values, the hints and the
 * solution shown, and the last run as its runner reports it. Pure functions over it; the
 * tutorial's reducer calls them and turns a run asked for into a command.
 */

export type Knob = (typeof knobs)[number];

export type ExerciseRunView = {
	/** The command that runs it: reports of an older run are ignored. */
	readonly id: number;
	readonly params: KeepaliveParams;
	/** Starting until the runner's first report, running, done once the lab has stopped. */
	readonly phase: 'starting' | 'running' | 'done';
	/** The verdict so far, from the run's own events; null before the first. */
	readonly verdict: Verdict | null;
	/** Why the run ended before the kernel had decided, or why it could not run at all. */
	readonly failure: string | null;
};

export type ExerciseScreen = {
	/** Into the course's exercises. */
	readonly index: number;
	/** What the learner typed, per knob (digits only). */
	readonly fields: Readonly<Record<Knob, string>>;
	/** Into `knobs`. */
	readonly focus: number;
	/** The focused field was just entered: the next digit replaces its value. */
	readonly fresh: boolean;
	/** The field a run was refused for, until it is edited. */
	readonly invalid: Knob | null;
	/** The hints (by index, in order) and the solution shown, in the order they were asked for: each new one goes under the others. */
	readonly shown: ReadonlyArray<number | 'solution'>;
	readonly run: ExerciseRunView | null;
};

export const hintsShown = (screen: ExerciseScreen) => screen.shown.filter(item => item !== 'solution').length;
export const solutionShown = (screen: ExerciseScreen) => screen.shown.includes('solution');

/** 32767, the kernel's largest value, has five digits. */
const maxDigits = 5;

/** A fresh screen of the exercise, its form filled with the values last tried (empty when none). */
export function openExercise(index: number, tried?: KeepaliveParams): ExerciseScreen {
	const field = (knob: Knob) => (tried ? String(tried[knob]) : '');
	return {index, fields: {idle: field('idle'), intvl: field('intvl'), probes: field('probes')}, focus: 0, fresh: true, invalid: null, shown: [], run: null};
}

/** A run is on: the form waits for it. */
export function isRunning(screen: ExerciseScreen): boolean {
	return screen.run !== null && screen.run.phase !== 'done';
}

export function focusedKnob(screen: ExerciseScreen): Knob {
	return knobs[screen.focus] ?? 'idle';
}

export function typeDigit(screen: ExerciseScreen, digit: string): ExerciseScreen {
	const knob = focusedKnob(screen);
	const before = screen.fresh ? '' : screen.fields[knob];
	// A leading zero says nothing; more digits than the kernel's largest value has are not taken.
	const value = (before === '0' ? '' : before) + digit;
	if (value.length > maxDigits) return screen;
	return {...screen, fields: {...screen.fields, [knob]: value}, fresh: false, invalid: null};
}

export function eraseDigit(screen: ExerciseScreen): ExerciseScreen {
	const knob = focusedKnob(screen);
	const value = screen.fresh ? '' : screen.fields[knob].slice(0, -1);
	return {...screen, fields: {...screen.fields, [knob]: value}, fresh: false, invalid: null};
}

/** Tab and the arrows go round the fields. */
export function moveFocus(screen: ExerciseScreen, by: number): ExerciseScreen {
	const focus = (screen.focus + by + knobs.length) % knobs.length;
	return {...screen, focus, fresh: true};
}

/** A field's value, or null when it is no whole number within the exercise's range. */
export function fieldValue(exercise: Exercise, screen: ExerciseScreen, knob: Knob): number | null {
	const text = screen.fields[knob];
	if (!/^\d+$/.test(text)) return null;
	const value = Number(text);
	const {min, max} = exercise.settings[knob];
	return value >= min && value <= max ? value : null;
}

/** The values to run, or the first field that is not valid (focused, so the learner can fix it). */
export function formParams(exercise: Exercise, screen: ExerciseScreen): {params: KeepaliveParams} | {invalid: Knob} {
	const invalid = knobs.find(knob => fieldValue(exercise, screen, knob) === null);
	if (invalid !== undefined) return {invalid};
	const value = (knob: Knob) => Number(screen.fields[knob]);
	return {params: {idle: value('idle'), intvl: value('intvl'), probes: value('probes')}};
}

/** The screen with a bad field marked and focused. */
export function refuse(screen: ExerciseScreen, invalid: Knob): ExerciseScreen {
	return {...screen, invalid, focus: knobs.indexOf(invalid), fresh: true};
}

export function showHint(exercise: Exercise, screen: ExerciseScreen): ExerciseScreen {
	const next = hintsShown(screen);
	return next >= exercise.hints.length ? screen : {...screen, shown: [...screen.shown, next]};
}

export function showSolution(screen: ExerciseScreen): ExerciseScreen {
	return solutionShown(screen) ? screen : {...screen, shown: [...screen.shown, 'solution']};
}

/** A report of the run `id`; one of an older run changes nothing. */
export function reported(screen: ExerciseScreen, id: number, report: Partial<Omit<ExerciseRunView, 'id' | 'params'>>): ExerciseScreen {
	if (screen.run?.id !== id) return screen;
	return {...screen, run: {...screen.run, ...report}};
}
