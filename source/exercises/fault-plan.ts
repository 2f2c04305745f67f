import {fail, type Place} from '../lessons/problem.js';
import type {ClientWrite, FaultStep} from './types.js';

/** One step of an exercise's `fault:` list: a drop, or a line the client writes. */
export type PlanStep = {drop: FaultStep} | {write: ClientWrite};

/**
 * Parses one step of an exercise's `fault:` list: `drop after handshake` or
 * `drop after N answered probe(s)`, optionally followed by `for S s` (then lifted again);
 * or `client writes "LINE" after S s` (seconds after the client connected).
 */
export function parsePlanStep(source: string, place: Place): PlanStep {
	const text = source.trim().split(/\s+/).join(' ');
	const write = /^client writes "([^"]+)" after ([1-9]\d*) s$/.exec(text);
	if (write) return {write: {line: write[1]!, after: Number(write[2])}};
	const match = /^drop after (?:(handshake)|([1-9]\d*) answered probes?)(?: for ([1-9]\d*) s)?$/.exec(text);
	if (!match) {
		fail(
			place,
			`cannot read the fault \`${text}\` (expected \`drop after handshake\` or \`drop after N answered probe(s)\`, optionally with \` for S s\`, or \`client writes "LINE" after S s\`)`,
		);
	}

	const [, , answers, seconds] = match;
	const after = answers === undefined ? 0 : Number(answers);
	return {drop: seconds === undefined ? {after} : {after, for: Number(seconds)}};
}

/** A fault step written as text again, in the form parsePlanStep reads. */
export function faultText(step: FaultStep): string {
	const after = step.after === 0 ? 'handshake' : `${step.after} answered probe${step.after === 1 ? '' : 's'}`;
	return `drop after ${after}${step.for === undefined ? '' : ` for ${step.for} s`}`;
}

/** A client write written as text again, in the form parsePlanStep reads. */
export function writeText({line, after}: ClientWrite): string {
	return `client writes "${line}" after ${after} s`;
}
