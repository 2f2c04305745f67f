import type {KeepaliveParams} from '../lab/shared/params.js';
import type {Exercise, Range} from './types.js';

export const knobs = ['idle', 'intvl', 'probes'] as const satisfies ReadonlyArray<keyof KeepaliveParams>;

/** A value the learner gave outside what the exercise allows. */
export type OutOfRange = {knob: keyof KeepaliveParams; value: number} & Range;

/** The learner's values outside the exercise's settings (each within the kernel's range already). */
export function outOfRange(exercise: Exercise, params: KeepaliveParams): OutOfRange[] {
	return knobs.filter(knob => params[knob] < exercise.settings[knob].min || params[knob] > exercise.settings[knob].max).map(knob => ({knob, value: params[knob], ...exercise.settings[knob]}));
}

/** `idle 1..20 s`, as a form or a message names a setting. */
export function rangeText(knob: keyof KeepaliveParams, {min, max}: Range): string {
	const unit = knob === 'probes' ? '' : ' s';
	return min === max ? `${knob} ${min}${unit}` : `${knob} ${min}..${max}${unit}`;
}
