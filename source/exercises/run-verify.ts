import {writeSync} from 'node:fs';
import {createLab} from '../lab/host/lab.js';
import {LabStartError, type LabOptions} from '../lab/host/lab-types.js';
import type {LabEvent} from '../lab/shared/events.js';
import {type HandledSignal, handledSignals, signalCodes} from '../signal-codes.js';
import {lessonOptions} from '../ui/lab-store/lab-store.js';
import type {Messages} from '../ui/messages/messages.js';
import {startExercise} from './runner.js';
import type {Exercise} from './types.js';
import {exerciseHeader, timelineLines, verdictLines, verdictRecord} from './verify-output.js';

/** `messages`: the words of the header, the verdict and its reasons (--lang's, or the locale's). */
export type VerifyOptions = Pick<LabOptions, 'idle' | 'intvl' | 'probes' | 'sandbox' | 'firewall'> & {exercise: Exercise; json: boolean; messages: Messages};

/**
 * `ka-tutorial verify EXERCISE --idle … --intvl … --probes …`: one run of the exercise on
 * the real lab with these values, its timeline (or NDJSON events) and the verdict. Resolves
 * with the exit code: 0 pass, 1 fail, 2 when the lab cannot run here, 128 + n on signal n.
 */
export async function runVerify(options: VerifyOptions): Promise<number> {
	const {exercise, json, messages} = options;
	const params = {idle: options.idle, intvl: options.intvl, probes: options.probes};
	const print = (line: string) => {
		try {
			// Synchronous, so the last lines are out before the process exits.
			writeSync(1, `${line}\n`);
		} catch (error) {
			// The reader went away (`| head`): nothing more to print.
			if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
		}
	};

	const abort = new AbortController();
	let exitCode = 0;
	const onSignal = (signal: HandledSignal) => {
		if (abort.signal.aborted) return;
		exitCode = signalCodes[signal];
		abort.abort();
	};

	for (const signal of handledSignals) process.on(signal, onSignal);
	const lab = createLab({...options, ...lessonOptions(exercise.run)});
	const stopStarting = () => void lab.stop();
	abort.signal.addEventListener('abort', stopStarting);
	try {
		await lab.start();
		abort.signal.removeEventListener('abort', stopStarting);
		let firewallProblem: {message: string; fix: string} | undefined;
		lab.subscribe(event => {
			if (event.type === 'lab' && event.event === 'ready') firewallProblem = event.firewallProblem;
		})();
		// An exercise with drops cannot run without a firewall tool (the NAT lab's router does not start without one).
		if (firewallProblem && exercise.fault.length > 0) throw new LabStartError(firewallProblem.message, firewallProblem.fix);
		if (!json) for (const line of exerciseHeader(exercise, params, messages)) print(line);
		const timeline = timelineLines();
		const run = startExercise(lab, exercise, params, abort.signal, messages);
		run.subscribe((event: LabEvent) => {
			const line = json ? JSON.stringify(event) : timeline(event);
			if (line !== null) print(line);
		});
		const result = await run.done;
		if (result.aborted) return exitCode;
		if (json) print(JSON.stringify(verdictRecord(exercise, params, result)));
		else for (const line of verdictLines(result, messages)) print(line);
		return result.verdict.status === 'pass' ? 0 : 1;
	} catch (error) {
		await lab.stop();
		if (abort.signal.aborted) return exitCode;
		if (!(error instanceof LabStartError)) throw error;
		if (json) print(JSON.stringify({t: 0, type: 'lab', event: 'error', message: error.message, fix: error.fix}));
		else process.stderr.write(`ka-tutorial: ${error.message}\n${error.fix}\n`);
		return 2;
	} finally {
		for (const signal of handledSignals) process.off(signal, onSignal);
	}
}
