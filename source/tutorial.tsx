import {appendFileSync, writeSync} from 'node:fs';
import type {Command} from './cli-args.js';
import {type HandledSignal, handledSignals, signalCodes} from './signal-codes.js';
import {createLab} from './lab/host/lab.js';
import type {Lab, LabOptions} from './lab/host/lab-types.js';
import {presets} from './lab/shared/params.js';
import {labSysctls, readHostFacts} from './lessons/course.js';
import type {Course, Facts} from './lessons/types.js';
import {openProgress} from './progress/progress-store.js';
import {resumeFrom} from './progress/progress.js';
import {messagesFor} from './ui/messages/messages.js';

export type TutorialOptions = Extract<Command, {mode: 'tutorial'}> & {course: Course};

/** Once the tutorial is ending, the process exits by then whatever still runs: it never outlives its terminal. */
const exitDeadlineMs = 3000;

/**
 * Ends the process as a hangup does, killed by SIGHUP (the shell's 129). Not by exiting: at exit
 * Node 20 restores the terminal's modes and aborts (SIGABRT, native stack) when the terminal is gone.
 */
function dieOfHangup(): void {
	// Every listener goes, ours and Ink's (signal-exit, which would restore the cursor of the gone terminal and throw).
	process.removeAllListeners('SIGHUP');
	process.kill(process.pid, 'SIGHUP');
}

/** Errors of a terminal that has gone away (closed window, dropped ssh): a hangup, not a crash. */
function isHangup(error: unknown): boolean {
	const {code} = (error ?? {}) as NodeJS.ErrnoException;
	return code === 'EIO' || code === 'EPIPE';
}

function presetFact(options: TutorialOptions): string {
	const preset = presets[options.preset];
	const {idle, intvl, probes} = options.params;
	const same = preset.idle === idle && preset.intvl === intvl && preset.probes === probes;
	return same ? options.preset : `${options.preset}, changed to idle ${idle} s, intvl ${intvl} s, probes ${probes}`;
}

/**
 * `ka-tutorial` (no subcommand): the interactive tutorial. Resolves with the exit code once
 * every lab it started has stopped: q → 0, Ctrl-C → 130, SIGTERM → 143, SIGHUP → 129.
 */
export async function runTutorial(options: TutorialOptions): Promise<number> {
	const messages = messagesFor(options.lang.code);
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		process.stderr.write(messages.app.notATerminal);
		return 1;
	}

	// Every lab this process started, so that each is stopped whatever way the tutorial ends.
	const labs = new Set<Lab>();
	let ending = false;
	// KA_RECORD_EVENTS=FILE appends every lab event as NDJSON: a lesson's real runs, for the course's tests.
	const record = process.env['KA_RECORD_EVENTS'];
	const startLab = (labOptions: LabOptions): Lab => {
		const lab = createLab(labOptions);
		labs.add(lab);
		if (record) lab.subscribe(event => appendFileSync(record, `${JSON.stringify(event)}\n`));
		// Asked for while the tutorial ends (the runner's queue may still start one): it never starts.
		if (ending) void lab.stop();
		return lab;
	};

	const stopAll = async () => {
		await Promise.allSettled([...labs].map(async lab => lab.stop()));
	};

	const progress = openProgress({reset: options.reset, messages});
	const hostFacts: Facts = {...readHostFacts(), 'lab.preset': presetFact(options)};
	// The namespace's own sysctls, as the lessons' front matter asks (lesson 3 shows them).
	const sysctls = labSysctls(options.course);
	const labOptions: LabOptions = {...options.params, sandbox: options.sandbox, firewall: options.firewall, ...(sysctls ? {sysctls} : {})};
	// On a terminal the tutorial is interactive even where CI is set: Ink would otherwise
	// draw only the last frame, on exit (it reads these when it loads, just below).
	delete process.env['CI'];
	delete process.env['CONTINUOUS_INTEGRATION'];
	const {renderApp} = await import('./ui/render-app.js');
	let exitCode = 0;
	const instance = renderApp({
		course: options.course,
		startLab,
		labOptions,
		// Where the learner left off, unless --lesson says where to go (what was done stays done).
		start: resumeFrom(progress.loaded, options.course.lessons, options.lesson === undefined ? undefined : options.lesson - 1, options.course.exercises),
		progress,
		hostFacts,
		onExit(code) {
			exitCode = code;
		},
	}, messages);

	const beginEnd = (code: number) => {
		ending = true;
		exitCode = code;
		setTimeout(() => {
			if (exitCode === signalCodes.SIGHUP) dieOfHangup();
			else process.exit(exitCode);
		}, exitDeadlineMs).unref();
		// Stops every lab, also one still starting; the agents also die with this process (parent-death signal).
		void stopAll();
	};

	// Unmounting first stops the screen's polling of the lab; the `finally` below then stops every lab.
	const onSignal = (signal: HandledSignal) => {
		if (ending) return;
		beginEnd(signalCodes[signal]);
		try {
			instance.unmount();
		} catch {}
	};

	let crashed = false;
	const onCrash = (error: unknown) => {
		// A write to the pipe of a lab whose agent has already gone: the lab reports its own end.
		const {code, syscall} = (error ?? {}) as NodeJS.ErrnoException;
		if (code === 'EPIPE' && syscall === 'write') return;
		if (code === 'EIO') {
			onSignal('SIGHUP');
			return;
		}

		// Once only: what the report below throws, or anything after it, must not come back here.
		if (crashed) return;
		crashed = true;
		if (ending) exitCode = 1;
		else beginEnd(1);
		try {
			instance.unmount();
		} catch {}

		try {
			// Synchronous and guarded: a failing write must not become another error event.
			writeSync(2, `ka-tutorial: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		} catch {}

		void stopAll().finally(() => process.exit(1));
	};

	const onTerminalError = (error: Error) => {
		if (isHangup(error)) onSignal('SIGHUP');
		else onCrash(error);
	};

	const terminal = [process.stdin, process.stdout, process.stderr];
	for (const signal of handledSignals) process.on(signal, onSignal);
	for (const stream of terminal) stream.on('error', onTerminalError);
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	try {
		await instance.waitUntilExit();
	} catch (error) {
		if (isHangup(error)) {
			// The terminal went away under Ink (setRawMode EIO).
			onSignal('SIGHUP');
		} else {
			// An error thrown while rendering: Ink has shown it and unmounted.
			process.stderr.write(`ka-tutorial: ${error instanceof Error ? error.message : String(error)}\n`);
			exitCode = 1;
		}
	} finally {
		await stopAll();
		for (const signal of handledSignals) process.off(signal, onSignal);
		process.off('uncaughtException', onCrash);
		process.off('unhandledRejection', onCrash);
		// Left on: the last writes to a terminal that has gone away may still fail.
		if (!ending) for (const stream of terminal) stream.off('error', onTerminalError);
	}

	if (exitCode === signalCodes.SIGHUP) dieOfHangup();

	return exitCode;
}
