/**
 * The built tutorial (`npm run build`) in a real terminal (tmux, on a socket of its own)
 * whose window closes, or which gets a signal, while the tutorial and its lab are still
 * starting: it must end at once, with nothing of it left — no process, no namespace.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, expect} from 'vitest';
import {cliPath, descendants, isAlive, netnsOf, waitUntil} from '../helpers/cli.js';
import {where} from '../helpers/privilege.js';
import {leaks} from './leftover-check.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'ka-hup-'));
// In the private scratch directory: no other tmux server, nor the state of /tmp/tmux-UID, matters.
const socket = path.join(scratch, 'tmux.socket');
const hostNetns = netnsOf(process.pid);
let runs = 0;

function tmux(...args: string[]): string {
	return execFileSync('tmux', ['-S', socket, ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
}

type Run = {
	name: string;
	exitFile: string;
	/** The tutorial's own pid, once its shell has started it. */
	tutorial: () => number | undefined;
	/** Every pid of the tutorial's tree seen so far, and the namespaces they were in. */
	pids: Set<number>;
	namespaces: Set<string>;
	record: () => void;
};

/**
 * Starts `node dist/ka-tutorial.js --lesson 5` in a tmux window of its own: as the window's own
 * process (as a terminal's shell runs it, `exec`), or under a shell that writes its exit code.
 */
function startTutorial(how: 'exec' | 'shell'): Run {
	const name = `hup-${process.pid}-${++runs}`;
	const exitFile = path.join(scratch, `${name}.exit`);
	const tutorial = `${process.execPath} ${cliPath} --lesson 5`;
	const command = how === 'exec' ? `exec ${tutorial}` : `${tutorial}; echo $? > ${exitFile}`;
	const pane = Number(tmux('new-session', '-d', '-P', '-F', '#{pane_pid}', '-s', name, '-x', '100', '-y', '30', 'sh', '-c', command).trim());
	const pids = new Set<number>();
	const namespaces = new Set<string>();
	const run: Run = {
		name,
		exitFile,
		pids,
		namespaces,
		tutorial: () => (how === 'exec' ? (isAlive(pane) ? pane : undefined) : descendants(pane)[0]),
		record() {
			const tutorial = run.tutorial();
			if (tutorial === undefined) return;
			for (const pid of [tutorial, ...descendants(tutorial)]) {
				if (!isAlive(pid)) continue;
				pids.add(pid);
				const ns = netnsOf(pid);
				if (ns && ns !== hostNetns) namespaces.add(ns);
			}
		},
	};
	return run;
}

/** Waits until the tutorial has started its lab's agent (the lab is starting), recording its tree. */
async function untilLabStarts(run: Run): Promise<void> {
	await waitUntil(
		() => {
			run.record();
			return run.pids.size >= 2;
		},
		15_000,
		'the tutorial to start its lab',
	);
}

/** Keeps recording for `ms` (new processes of the start-up are seen too), every `everyMs`. */
async function recordFor(run: Run, ms: number, everyMs = 20): Promise<void> {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		run.record();
		await new Promise(resolve => setTimeout(resolve, Math.min(everyMs, end - Date.now())));
	}

	run.record();
}

/** Every process and namespace of the run is gone within `ms`; `ps` agrees. */
async function expectAllGone(run: Run, ms: number): Promise<void> {
	const pids = [...run.pids];
	expect(pids.length).toBeGreaterThanOrEqual(1);
	// A lab process forked just as its parent died may not be recorded; it ends itself on its
	// first line (dieWithParent), so it may outlive the recorded ones by its start-up time.
	await waitUntil(
		() => {
			run.record();
			return pids.every(pid => !isAlive(pid)) && leaks(run.namespaces).length === 0;
		},
		ms,
		`processes ${pids.join(', ')} and their namespaces to end`,
	);
	const ps = spawnSync('ps', ['-o', 'pid=,stat=,args=', '-p', pids.join(',')], {encoding: 'utf8'});
	expect(ps.stdout.trim()).toBe('');
	expect(leaks(run.namespaces)).toEqual([]);
}

function kill(pid: number | undefined, signal: NodeJS.Signals): void {
	try {
		if (pid !== undefined) process.kill(pid, signal);
	} catch {}
}

afterAll(() => {
	// Whatever a failed run left: the tmux server of this file, then any tutorial still alive.
	try {
		tmux('kill-server');
	} catch {}

	rmSync(scratch, {recursive: true, force: true});
});

const built = existsSync(cliPath) && existsSync(path.join(path.dirname(cliPath), 'tutorial.js'));
const tutorial = where('tmux', 'sandbox', 'firewall');

// When the window closes, in ms after it opened: the tutorial loads, draws, then its lab starts (about 1 to 2.5 s
// here). Many moments: before the fix, about one close in ten left the tutorial spinning on EIO.
const moments = Array.from({length: 20}, (_, index) => 700 + index * 120);

tutorial.it('ends at once and leaves nothing when its terminal closes during start-up (tmux kill-session)', async () => {
	expect(built, 'run `npm run build` first').toBe(true);
	for (const ms of moments) {
		const run = startTutorial('exec');
		try {
			// Seldom, so as not to slow the start-up it races.
			await recordFor(run, ms, 150);
			tmux('kill-session', '-t', run.name);
			// The tutorial's own deadline is 3 s, whatever happens.
			await expectAllGone(run, 4000);
		} finally {
			for (const pid of run.pids) kill(pid, 'SIGKILL');
		}
	}
}, 180_000);

tutorial.it('ends at once with 128 + n and leaves nothing on a signal during start-up', async () => {
	expect(built, 'run `npm run build` first').toBe(true);
	const codes = {SIGINT: 130, SIGTERM: 143, SIGHUP: 129} as const;
	for (const [index, ms] of [0, 200, 500].entries()) {
		for (const signal of Object.keys(codes) as Array<keyof typeof codes>) {
			const run = startTutorial('shell');
			try {
				await untilLabStarts(run);
				await recordFor(run, ms);
				const sentAt = Date.now();
				kill(run.tutorial(), signal);
				// A second signal, on some runs, changes nothing.
				if (index === 1) setTimeout(() => kill(run.tutorial(), signal), 50);
				await expectAllGone(run, 3000);
				await waitUntil(() => existsSync(run.exitFile), 2000, 'the exit code');
				expect(Number(readFileSync(run.exitFile, 'utf8')), `${signal} ${ms} ms after the agent started`).toBe(codes[signal]);
				expect(Date.now() - sentAt).toBeLessThan(3000);
			} finally {
				for (const pid of run.pids) kill(pid, 'SIGKILL');
				try {
					tmux('kill-session', '-t', run.name);
				} catch {}
			}
		}
	}
}, 180_000);
