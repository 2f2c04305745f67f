import {readFileSync, writeSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createLab} from '../lab/host/lab.js';
import {readSysctl} from '../lab/host/sandbox.js';
import {findTool} from '../lab/shared/find-tool.js';
import {type Language, localeLanguage} from '../lessons/language.js';
import type {Course} from '../lessons/types.js';
import {packageRoot} from '../package-paths.js';
import {type HandledSignal, handledSignals, signalCodes} from '../signal-codes.js';
import {type Messages, messagesFor} from '../ui/messages/messages.js';
import {allPassed, type Check} from './check.js';
import {firewallCheck, type Machine, nodeCheck, sandboxChecks} from './checks.js';
import {formatCheck, verdict} from './format.js';
import {type LessonNeeds, lessonNeeds} from './lesson-needs.js';
import {miniLabChecks, miniLabNotRun} from './mini-lab-checks.js';
import {miniLabDeadlineMs, runMiniLab} from './mini-lab.js';
import {type TerminalFacts, terminalChecks} from './terminal-checks.js';

/** package.json's engines.node, e.g. ">=20". */
function nodeRange(): string {
	const manifest = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {engines: {node: string}};
	return manifest.engines.node;
}

function terminalFacts(): TerminalFacts {
	const {stdout} = process;
	return stdout.isTTY ? {isTTY: true, columns: stdout.columns, rows: stdout.rows, colorDepth: stdout.getColorDepth()} : {isTTY: false};
}

/** The lab's mini-run, stopped in order on a signal; resolves with its checks, or with the signal's exit code. */
async function miniLab(lessons: LessonNeeds, words: Messages['doctor']): Promise<Check[] | number> {
	const abort = new AbortController();
	let code = 0;
	const onSignal = (signal: HandledSignal) => {
		code = signalCodes[signal];
		abort.abort();
	};
	for (const signal of handledSignals) process.on(signal, onSignal);
	try {
		const result = await runMiniLab(createLab, abort.signal, miniLabDeadlineMs, words);
		return result.aborted ? code : miniLabChecks(result, lessons, words);
	} finally {
		for (const signal of handledSignals) process.off(signal, onSignal);
	}
}

/**
 * `ka-tutorial doctor`: one line per thing the lab needs on this machine, then a real
 * mini-lab, in `language` (the locale's, since doctor takes no options). Resolves with 0
 * when the full tutorial will work, 1 when it will not.
 */
export async function runDoctor(course: Course, language: Language = localeLanguage(process.env)): Promise<number> {
	const words = messagesFor(language).doctor;
	const lessons = lessonNeeds(course.lessons);
	const machine: Machine = {platform: process.platform, release: os.release(), uid: process.getuid?.(), findTool, readSysctl};
	const terminal = terminalFacts();
	const color = terminal.isTTY && (terminal.colorDepth ?? 1) > 1;
	let reader = true;
	const print = (line: string) => {
		if (!reader) return;
		try {
			writeSync(1, line + '\n');
		} catch (error) {
			// The reader went away (`| head`): the checks still finish, and the lab still stops.
			if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
			reader = false;
		}
	};

	const sandbox = sandboxChecks(machine, lessons, words);
	const checks = [
		...sandbox,
		firewallCheck(machine, lessons, words),
		nodeCheck(process.versions.node, nodeRange(), words),
		...terminalChecks(terminal, words),
	];
	for (const check of checks) print(formatCheck(check, color, words));
	const lab = allPassed(sandbox) ? await miniLab(lessons, words) : [miniLabNotRun(words)];
	if (typeof lab === 'number') return lab;
	for (const check of lab) print(formatCheck(check, color, words));
	checks.push(...lab);
	print(verdict(checks, words));
	return allPassed(checks) ? 0 : 1;
}
