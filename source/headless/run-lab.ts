import {writeSync} from 'node:fs';
import type {FirewallEvent, LabEvent, LabReadyEvent} from '../lab/shared/events.js';
import {runExperiment} from '../lab/host/experiment.js';
import {KernelWatch} from '../lab/shared/kernel-watch.js';
import {createLab} from '../lab/host/lab.js';
import type {Lab, LabOptions} from '../lab/host/lab-types.js';
import {LabStartError} from '../lab/host/lab-types.js';
import {type HandledSignal, handledSignals, signalCodes} from '../signal-codes.js';
import {formatDropCount, formatEvent} from './format.js';
import {pcapFileProblem} from './pcap-file.js';

export type HeadlessOptions = LabOptions & {dropAfter: number; json: boolean};

/** The lab's ready event, from its history. */
function readyEvent(lab: Lab): LabReadyEvent | undefined {
	let ready: LabReadyEvent | undefined;
	lab.subscribe(event => {
		if (event.type === 'lab' && event.event === 'ready') ready = event;
	})();
	return ready;
}

/** `ka-tutorial lab`: one experiment, printed as a timeline or as NDJSON. Resolves with the exit code. */
export async function runHeadless(options: HeadlessOptions): Promise<number> {
	const pcapProblem = options.pcap === undefined ? undefined : pcapFileProblem(options.pcap);
	if (pcapProblem) {
		process.stderr.write(`ka-tutorial: ${pcapProblem}\n`);
		return 2;
	}

	const lab = createLab(options);
	const abort = new AbortController();
	let exitCode = 0;
	const stopWith = (code: number) => {
		// A second signal changes nothing: the first one is already stopping the lab.
		if (abort.signal.aborted) return;
		exitCode = code;
		abort.abort();
	};
	const onSignal = (signal: HandledSignal) => stopWith(signalCodes[signal]);
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
	// One message, once: on stdout as a lab error event for scripts, else on stderr.
	const cannotStart = ({message, fix}: {message: string; fix: string}) => {
		if (options.json) print(JSON.stringify({t: 0, type: 'lab', event: 'error', message, fix}));
		else process.stderr.write(`ka-tutorial: ${message}\n${fix}\n`);
		return 2;
	};

	for (const signal of handledSignals) process.on(signal, onSignal);
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

	// Until the experiment runs (it stops the lab itself when aborted), a stop must cut the start-up short.
	const stopStarting = () => void lab.stop();
	abort.signal.addEventListener('abort', stopStarting);
	try {
		await lab.start();
		abort.signal.removeEventListener('abort', stopStarting);
		if (abort.signal.aborted) {
			await lab.stop();
			return exitCode;
		}

		// This experiment needs the drop: where no firewall tool works, it cannot run at all.
		const firewallProblem = readyEvent(lab)?.firewallProblem;
		if (firewallProblem) {
			await lab.stop();
			return cannotStart(firewallProblem);
		}

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
		if (abort.signal.aborted) return exitCode;
		if (error instanceof LabStartError) return cannotStart(error);

		throw error;
	} finally {
		for (const signal of handledSignals) process.off(signal, onSignal);
	}
}
