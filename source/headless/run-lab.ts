import {writeSync} from 'node:fs';
import type {FirewallEvent, LabEvent, LabReadyEvent} from '../lab/shared/events.js';
import {runScenario} from '../lab/host/runs/run-loop.js';
import {scenarioPhases} from '../lab/host/runs/scenario-runs.js';
import type {ScenarioRun} from '../lab/host/runs/run-loop.js';
import {defaultScenario, scenarios} from '../lab/scenarios/scenarios.js';
import {KernelWatch} from '../lab/shared/kernel-watch.js';
import {createLab} from '../lab/host/lab.js';
import type {Lab, LabOptions} from '../lab/host/lab-types.js';
import {LabStartError} from '../lab/host/lab-types.js';
import {type HandledSignal, handledSignals, signalCodes} from '../signal-codes.js';
import {formatDropCount, formatEvent} from './format.js';
import {pcapFileProblem} from './pcap-file.js';

export type HeadlessOptions = LabOptions & {
	/** After how many answered probes the drop goes on; undefined: the scenario's default. */
	dropAfter?: number;
	json: boolean;
};

/** The lab's ready event, from its history. */
function readyEvent(lab: Lab): LabReadyEvent | undefined {
	let ready: LabReadyEvent | undefined;
	lab.subscribe(event => {
		if (event.type === 'lab' && event.event === 'ready') ready = event;
	})();
	return ready;
}

/** Each lab of a run of several writes its own capture: FILE-1.pcap, FILE-2.pcap (FILE.pcap for one). */
export function phasePcap(file: string, index: number, count: number): string {
	return count === 1 ? file : file.replace(/(\.pcap)?$/, `-${index + 1}$1`);
}

/** `ka-tutorial lab`: one scenario's run, printed as a timeline or as NDJSON. Resolves with the exit code. */
export async function runHeadless(options: HeadlessOptions): Promise<number> {
	const pcapProblem = options.pcap === undefined ? undefined : pcapFileProblem(options.pcap);
	if (pcapProblem) {
		process.stderr.write(`ka-tutorial: ${pcapProblem}\n`);
		return 2;
	}

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

	const scenario = options.scenario ?? defaultScenario;
	const {idle, intvl, probes, userTimeout} = options;
	const params = {idle, intvl, probes, ...(userTimeout === undefined ? {} : {userTimeout})};
	const phaseOptions = {...(options.dropAfter === undefined ? {} : {dropAfter: options.dropAfter}), ...(options.natTimeout === undefined ? {} : {natTimeout: options.natTimeout})};
	try {
		let ok = true;
		// Each phase is a lab of its own, one after the other; its events start over at a new ready.
		const phases = scenarioPhases(scenario, params, phaseOptions);
		for (const [i, phase] of phases.entries()) {
			const keepalive = phase.keepalive ? {keepalive: {...options.keepalive, ...phase.keepalive}} : {};
			const pcap = options.pcap === undefined ? {} : {pcap: phasePcap(options.pcap, i, phases.length)};
			const lab = createLab({...options, ...keepalive, ...pcap});
			const result = await runPhase(lab, phase.run);
			if (result === 'aborted') return exitCode;
			if (typeof result === 'object') return cannotStart(result);
			ok &&= result;
		}

		return ok ? 0 : 1;
	} finally {
		for (const signal of handledSignals) process.off(signal, onSignal);
	}

	/** One lab's run: whether its summary was ok, or why it could not start. */
	async function runPhase(lab: Lab, run: ScenarioRun): Promise<boolean | 'aborted' | {message: string; fix: string}> {
		// Until the experiment runs (it stops the lab itself when aborted), a stop must cut the start-up short.
		const stopStarting = () => void lab.stop();
		abort.signal.addEventListener('abort', stopStarting);
		try {
			await lab.start();
			abort.signal.removeEventListener('abort', stopStarting);
			if (abort.signal.aborted) {
				await lab.stop();
				return 'aborted';
			}

			// A scenario that drops cannot run at all where no firewall tool works.
			const firewallProblem = readyEvent(lab)?.firewallProblem;
			if (firewallProblem && scenarios[scenario].fault === 'drop') {
				await lab.stop();
				return firewallProblem;
			}

			const summary = await runScenario(lab, run, {onEvent, signal: abort.signal});
			return abort.signal.aborted ? 'aborted' : summary.ok;
		} catch (error) {
			abort.signal.removeEventListener('abort', stopStarting);
			await lab.stop();
			if (abort.signal.aborted) return 'aborted';
			if (error instanceof LabStartError) return error;
			throw error;
		}
	}
}
