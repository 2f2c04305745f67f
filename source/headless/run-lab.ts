import {writeSync} from 'node:fs';
import type {FirewallEvent, LabEvent} from '../lab/events.js';
import {runExperiment} from '../lab/experiment.js';
import {KernelWatch} from '../lab/kernel-watch.js';
import {createLab} from '../lab/lab.js';
import type {LabOptions} from '../lab/lab-types.js';
import {LabStartError} from '../lab/lab-types.js';
import {formatDropCount, formatEvent} from './format.js';

export type HeadlessOptions = LabOptions & {dropAfter: number; json: boolean};

/** `ka-tutorial lab`: one experiment, printed as a timeline or as NDJSON. Resolves with the exit code. */
export async function runHeadless(options: HeadlessOptions): Promise<number> {
	const lab = createLab(options);
	const abort = new AbortController();
	// The shell's convention: 128 + the signal's number.
	const signals = {SIGHUP: 129, SIGINT: 130, SIGTERM: 143} as const;
	let exitCode = 0;
	const stopWith = (code: number) => {
		exitCode = code;
		abort.abort();
	};
	const onSignal = (signal: keyof typeof signals) => stopWith(signals[signal]);
	const print = (line: string) => {
		if (abort.signal.aborted && exitCode === 141) return;
		try {
			// Synchronous, so the last lines are out before the process exits.
			writeSync(1, line + '\n');
		} catch (error) {
			// The reader went away (`| head`): stop the lab as for SIGPIPE.
			if ((error as NodeJS.ErrnoException).code === 'EPIPE') stopWith(141);
			else throw error;
		}
	};
	for (const signal of Object.keys(signals) as Array<keyof typeof signals>) process.on(signal, onSignal);
	const kernelNews = new KernelWatch();
	let lastFirewall: FirewallEvent | undefined;
	const onEvent = (event: LabEvent) => {
		if (options.json) {
			print(JSON.stringify(event));
			return;
		}

		// The kernel is read after every packet; in a timeline only changes are news.
		if (event.type === 'kernel' && !kernelNews.isNews(event)) return;
		const counterOnly = event.type === 'firewall' && lastFirewall?.action === event.action && lastFirewall.command === event.command;
		if (event.type === 'firewall') lastFirewall = event;
		const line = counterOnly ? formatDropCount(event) : formatEvent(event);
		if (line !== null) print(line);
	};

	try {
		await lab.start();
		const summary = await runExperiment(lab, {
			params: options,
			dropAfter: options.dropAfter,
			onEvent,
			signal: abort.signal,
		});
		if (abort.signal.aborted) return exitCode;
		return summary.ok ? 0 : 1;
	} catch (error) {
		await lab.stop();
		if (error instanceof LabStartError) {
			process.stderr.write(`ka-tutorial: ${error.message}\n${error.fix}\n`);
			return 2;
		}

		throw error;
	} finally {
		for (const signal of Object.keys(signals) as Array<keyof typeof signals>) process.off(signal, onSignal);
	}
}
