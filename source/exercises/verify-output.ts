import {formatDropCount, formatEvent} from '../headless/format.js';
import type {FirewallEvent, LabEvent} from '../lab/shared/events.js';
import type {KeepaliveParams} from '../lab/shared/params.js';
import {KernelWatch} from '../lab/shared/kernel-watch.js';
import type {ExerciseResult} from './runner.js';
import {en, type Messages} from '../ui/messages/messages.js';
import {knobs} from './settings.js';
import type {Exercise} from './types.js';
import {verdictReason} from './verdict.js';

/** The lines `verify` prints before the run: what is tried, against what. */
export function exerciseHeader(exercise: Exercise, params: KeepaliveParams, messages: Messages = en): string[] {
	const {header, range, checkText} = messages.exercises;
	return [
		header.exercise(exercise.id, exercise.title),
		header.goal(exercise.goal),
		...(Object.keys(exercise.run).length === 0 ? [] : [header.lab(exercise.run)]),
		header.values(params, knobs.map(knob => range(knob, exercise.settings[knob]))),
		header.fault(exercise.fault, exercise.writes),
		header.check(exercise.check.map(({text, check}) => checkText(check, text))),
		'',
	];
}

/** A timeline line per event, as `ka-tutorial lab` prints them: kernel readings only when they change, a rule's counter as a count. */
export function timelineLines(): (event: LabEvent) => string | null {
	const kernelNews = new KernelWatch();
	let lastFirewall: FirewallEvent | undefined;
	return event => {
		if (event.type === 'kernel' && !kernelNews.isNews(event)) return null;
		if (event.type !== 'firewall') return formatEvent(event);
		const counterOnly = lastFirewall?.action === event.action && lastFirewall.command === event.command;
		lastFirewall = event;
		return counterOnly ? formatDropCount(event) : formatEvent(event);
	};
}

const marks = {pass: '✓', fail: '✗', pending: '?'} as const;

/** The verdict: pass or fail with the reason from the run's timeline, then each condition. */
export function verdictLines({verdict, failure}: ExerciseResult, messages: Messages = en): string[] {
	const words = messages.exercises;
	return [
		'',
		words.verdict(verdict.status, verdictReason(verdict)),
		...(failure === undefined ? [] : [words.endedEarly(failure)]),
		...verdict.results.map(result => `  ${marks[result.status]} ${words.result(result.text, result.reason)}`),
	];
}

/** The last line of `verify --json`. */
export function verdictRecord(exercise: Exercise, params: KeepaliveParams, result: ExerciseResult): Record<string, unknown> {
	const t = result.events.reduce((latest, event) => Math.max(latest, event.t), 0);
	const {status, results} = result.verdict;
	return {t, type: 'verdict', exercise: exercise.id, params, pass: status === 'pass', status, reason: verdictReason(result.verdict), results, ...(result.failure === undefined ? {} : {failure: result.failure})};
}
