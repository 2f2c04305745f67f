import {LabStartError, type Lab, type LabOptions} from '../lab/host/lab-types.js';
import {foldRun, initialRun, type RunState} from '../lab/model/run-state.js';
import type {KeepaliveParams} from '../lab/shared/params.js';
import {en, type Messages} from '../ui/messages/messages.js';

/** The smallest values: the first probe a second after connecting, the dropped answer a second later. */
export const miniLabParams: KeepaliveParams = {idle: 1, intvl: 1, probes: 3};
/** Start-up takes about a second; the whole run about three. A busy machine gets room, a stuck one an answer. */
export const miniLabDeadlineMs = 10_000;

export type MiniLabResult = {
	/** The run, folded from the lab's events. */
	run: RunState;
	/** Seconds from start to ready; null when the lab never got ready. */
	readyAfter: number | null;
	/** Why it stopped short: the lab's own words (and fix), or the deadline. */
	problem: {message: string; fix?: string} | null;
	/** Stopped by a signal before it was done. */
	aborted: boolean;
};

/**
 * A real lab, as the tutorial starts it: ready, one keepalive probe answered, the drop
 * switched on and its rule's counter counting. Bounded by `deadlineMs`, and stopped
 * whatever happens, so that no namespace or process outlives it. A deadline passed is said in `words`.
 */
export async function runMiniLab(
	makeLab: (options: LabOptions) => Lab,
	signal: AbortSignal,
	deadlineMs = miniLabDeadlineMs,
	words: Messages['doctor'] = en.doctor,
): Promise<MiniLabResult> {
	const lab = makeLab(miniLabParams);
	let run = initialRun;
	let wake = () => {};
	lab.subscribe(event => {
		run = foldRun(run, event);
		wake();
	});
	let timedOut = false;
	// Stopping also cuts a start-up short: start() then rejects.
	const cut = () => {
		wake();
		void lab.stop();
	};
	const timer = setTimeout(() => {
		timedOut = true;
		cut();
	}, deadlineMs);
	signal.addEventListener('abort', cut);
	const over = () => timedOut || signal.aborted || run.errors.length > 0 || run.stopped;
	const until = (done: () => boolean) =>
		new Promise<void>(resolve => {
			wake = () => {
				if (done() || over()) resolve();
			};
			wake();
		});

	const startedAt = performance.now();
	let readyAfter: number | null = null;
	let problem: MiniLabResult['problem'] = null;
	try {
		await lab.start();
		readyAfter = (performance.now() - startedAt) / 1000;
		await until(() => run.probeAck !== null);
		if (run.probeAck && !over() && run.firewall !== 'none') {
			await lab.setDrop(true);
			await until(() => run.drop.droppedByRule > 0);
		}
	} catch (error) {
		if (error instanceof LabStartError) problem = {message: error.message, fix: error.fix};
		// The deadline or a signal stopped the start-up: said below, or not at all.
		else if (!timedOut && !signal.aborted) throw error;
	} finally {
		clearTimeout(timer);
		signal.removeEventListener('abort', cut);
		await lab.stop();
	}

	const [labError] = run.errors;
	problem ??= labError ? {message: labError.message, ...(labError.fix ? {fix: labError.fix} : {})} : null;
	problem ??= timedOut ? {message: words.deadline(deadlineMs / 1000)} : null;
	return {run, readyAfter, problem, aborted: signal.aborted};
}
