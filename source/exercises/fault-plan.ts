import {fail, type Place} from '../lessons/problem.js';
import type {FaultStep} from './types.js';

/**
 * Parses one step of an exercise's `fault:` list: `drop after handshake` or
 * `drop after N answered probe(s)`, optionally followed by `for S s` (then lifted again).
 */
export function parseFaultStep(source: string, place: Place): FaultStep {
	const text = source.trim().split(/\s+/).join(' ');
	const match = /^drop after (?:(handshake)|([1-9]\d*) answered probes?)(?: for ([1-9]\d*) s)?$/.exec(text);
	if (!match) {
		fail(place, `cannot read the fault \`${text}\` (expected \`drop after handshake\` or \`drop after N answered probe(s)\`, optionally with \` for S s\`)`);
	}

	const [, , answers, seconds] = match;
	const after = answers === undefined ? 0 : Number(answers);
	return seconds === undefined ? {after} : {after, for: Number(seconds)};
}

/** A fault step written as text again, in the form parseFaultStep reads. */
export function faultText(step: FaultStep): string {
	const after = step.after === 0 ? 'handshake' : `${step.after} answered probe${step.after === 1 ? '' : 's'}`;
	return `drop after ${after}${step.for === undefined ? '' : ` for ${step.for} s`}`;
}
