import type {KernelEvent, LabEvent} from '../../lab/shared/events.js';
import type {KernelWatch} from '../../lab/shared/kernel-watch.js';
import type {KeepaliveParams} from '../../lab/shared/params.js';
import {countdowns, countdownsKey} from '../lab/countdown-model.js';
import type {LabView} from '../lab/lab-view.js';

/** Why the lab could not start, and what to do about it; no fix: the lab knows none (the screen names a general one). */
export type LabProblem = {message: string; fix?: string};

/** The message and fix of a start failure (a LabStartError, or anything else thrown). */
export function problemOf(error: unknown): LabProblem {
	if (error instanceof Error && typeof (error as Error & {fix?: unknown}).fix === 'string') {
		return {message: error.message, fix: (error as Error & {fix: string}).fix};
	}

	return {message: error instanceof Error ? error.message : String(error)};
}

/** Whether this event ends a run: the RST, the server's socket failing, or the lab stopping. */
export function endsRun(event: LabEvent): boolean {
	return (
		(event.type === 'packet' && event.kind === 'rst') ||
		(event.type === 'lab' && event.event === 'stopped') ||
		(event.type === 'socket' && event.side === 'server' && (event.event === 'error' || event.event === 'closed'))
	);
}

/**
 * Whether a kernel reading changes what the screen shows: the countdowns drawn from it
 * (`shown` is the view on screen, `after` the same with the reading), or the socket's timer
 * kind, probe count or state, which the lessons' conditions and facts read (`watch` has seen
 * every reading before). Only then is it worth a React render: Ink redraws the whole screen
 * for each one. Compared in English: every catalog writes the same numbers, so the
 * countdowns' text changes in all languages at once.
 */
export function redraws(event: KernelEvent, shown: LabView, after: LabView, params: KeepaliveParams, watch: KernelWatch): boolean {
	const news = watch.isNews(event);
	return news || countdownsKey(countdowns(after, params)) !== countdownsKey(countdowns(shown, params));
}
