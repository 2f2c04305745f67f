import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, expect} from 'vitest';
import {binPath, cliPath, descendants, isAlive, liveNetns, netnsOf, waitUntil} from './cli.js';

/*
 * The real, built tutorial (package.json's bin, see `npm run build`) in a real terminal:
 * tmux, on a socket of its own (in the test's private scratch directory, so that neither
 * another tmux server nor the state of /tmp/tmux-UID matters). Each session
 * records the process tree of the tutorial while it runs, so that a test can check that
 * all of it, and its network namespace, is gone afterwards.
 */

let tmuxWorks = false;
try {
	execFileSync('tmux', ['-V']);
	tmuxWorks = true;
} catch {}

export const scratch = mkdtempSync(path.join(tmpdir(), 'ka-e2e-'));
const socket = path.join(scratch, 'tmux.socket');
let sessions = 0;
let current: string | undefined;

export function tmux(...args: string[]): string {
	return execFileSync('tmux', ['-S', socket, ...args], {encoding: 'utf8'});
}

/**
 * tmux's server exits with its last session; a new session asked for in that moment meets the
 * exiting server ("server exited unexpectedly"). Then a second try starts a server of its own.
 */
function newSession(args: string[]): void {
	try {
		tmux('new-session', ...args);
	} catch (error) {
		if (!String((error as {stderr?: unknown}).stderr ?? error).includes('server exited unexpectedly')) throw error;
		tmux('new-session', ...args);
	}
}

export type Session = {
	name: string;
	/** The shell that runs the tutorial; the tutorial is its child. */
	shell: number;
	exitFile: string;
	screen: () => string;
	keys: (...keys: string[]) => void;
	/** Waits until the screen matches, bounded; fails with the last screen. */
	see: (pattern: RegExp | string, timeoutMs?: number) => Promise<string>;
	/** Every pid seen in the tutorial's process tree so far (the shell excluded), and their namespaces. */
	record: () => void;
	pids: Set<number>;
	namespaces: Set<string>;
	/** The tutorial's own pid (node dist/ka-tutorial.js). */
	tutorialPid: () => number | undefined;
	exitCode: () => number | undefined;
};

const hostNetns = netnsOf(process.pid);

export type StartOptions = {
	/** The progress folder; default: a fresh one, so that no test resumes another's steps. */
	config?: string;
	/** --lang: the screens a test looks for are in one language, whatever the locale says; default en. */
	lang?: 'en' | 'zh';
};

/** Starts the tutorial in a new tmux session of `width` × `height`, with `args` after --lang. */
export function start(args: string, width: number, height: number, {config = mkdtempSync(path.join(scratch, 'config-')), lang = 'en'}: StartOptions = {}): Session {
	const name = `t${++sessions}`;
	current = name;
	const exitFile = path.join(scratch, `${name}.exit`);
	// The shell stays after the tutorial, so that the screen and the exit code can be read.
	// CI set, as on a build machine's terminal: the tutorial must stay interactive there too.
	const command = `CI=true KA_TUTORIAL_CONFIG_DIR=${config} node ${cliPath} --lang ${lang} ${args} 2> ${exitFile}.err; echo $? > ${exitFile}; sleep 600`;
	newSession(['-d', '-s', name, '-x', String(width), '-y', String(height), 'sh', '-c', command]);
	const shell = Number(tmux('display-message', '-p', '-t', name, '#{pane_pid}').trim());
	const pids = new Set<number>();
	const namespaces = new Set<string>();
	const session: Session = {
		name,
		shell,
		exitFile,
		pids,
		namespaces,
		screen: () => tmux('capture-pane', '-p', '-t', name),
		keys(...keys) {
			for (const key of keys) tmux('send-keys', '-t', name, key);
		},
		async see(pattern, timeoutMs = 15_000) {
			let screen = '';
			const matches = () => {
				session.record();
				const last = screen;
				screen = session.screen();
				// A frame that tmux is still reading (a long one comes through the terminal in pieces) is
				// not a screen the learner sees: the screen must be the same two polls in a row.
				return screen === last && (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen));
			};

			try {
				await waitUntil(matches, timeoutMs, `${String(pattern)} on the screen`);
			} catch (error) {
				throw new Error(`${(error as Error).message}; the screen:\n${screen}`);
			}

			return screen;
		},
		record() {
			for (const pid of descendants(shell)) {
				if (!isAlive(pid)) continue;
				let command = '';
				try {
					command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
				} catch {}

				// The shell's own `sleep` is not the tutorial's.
				if (command.startsWith('sleep')) continue;
				pids.add(pid);
				const ns = netnsOf(pid);
				if (ns && ns !== hostNetns) namespaces.add(ns);
			}
		},
		tutorialPid() {
			return descendants(shell).find(pid => {
				try {
					return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(binPath);
				} catch {
					return false;
				}
			});
		},
		exitCode() {
			return existsSync(exitFile) ? Number(readFileSync(exitFile, 'utf8').trim()) : undefined;
		},
	};
	return session;
}

/**
 * Waits for the tutorial to exit, then checks that nothing it started is left. `namespaces`:
 * how many it used, one lab run's one, or at least so many (each NAT run has three; a
 * lesson may start more than one run).
 */
export async function expectNothingLeft(session: Session, code: number, namespaces: number | {atLeast: number} = 1): Promise<void> {
	await waitUntil(() => session.exitCode() !== undefined, 10_000, 'the tutorial to exit');
	expect(session.exitCode(), `exit code; stderr: ${readFileSync(`${session.exitFile}.err`, 'utf8')}`).toBe(code);
	// The tutorial and the client (the tutorial runs the agent).
	expect(session.pids.size).toBeGreaterThanOrEqual(2);
	// An ordinary user's tutorial, in a user namespace of its own, waits between runs in an empty
	// network namespace of its own (lab/agent/netns.ts), which a look at the right moment counts.
	const home = process.getuid?.() === 0 ? 0 : 1;
	const [least, most] = typeof namespaces === 'number' ? [namespaces, namespaces + home] : [namespaces.atLeast, Infinity];
	expect(session.namespaces.size).toBeGreaterThanOrEqual(least);
	expect(session.namespaces.size).toBeLessThanOrEqual(most);
	await waitUntil(() => [...session.pids].every(pid => !isAlive(pid)), 5000, 'every process of the tutorial to end');
	await expectNamespacesGone(session);
}

/** Seconds since boot, the clock of /proc/<pid>/stat's start times. */
function uptime(): number {
	return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
}

const ticks = 100; // USER_HZ

/**
 * Processes in a network namespace that started before `before` (seconds since boot).
 * Namespace inode numbers are reused: a namespace made later by anything else on the
 * machine may carry the same number, but none of its processes is that old.
 */
function leftoversIn(ns: string, before: number): string[] {
	const found: string[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry) || netnsOf(Number(entry)) !== ns) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const started = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]) / ticks;
			if (started > before) continue;
			found.push(`${entry}: ${readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ')}`);
		} catch {}
	}

	return found;
}

/** Every namespace the tutorial used is gone (or reused by processes that are not its own). */
export async function expectNamespacesGone(session: Session): Promise<void> {
	const before = uptime();
	for (const ns of session.namespaces) {
		let left: string[] = [];
		try {
			await waitUntil(() => !liveNetns().has(ns) || (left = leftoversIn(ns, before)).length === 0, 3000, `${ns} to go`);
		} catch (error) {
			throw new Error(`${(error as Error).message}; still in it:\n${left.join('\n')}`);
		}
	}
}

/** What lesson 6 ("Cut the wire") says on the way to the RST, in the language of a session. */
export type CutWords = {dropDone: string; unanswered: string; waited: string; reset: RegExp};

/** From lesson 6's first step to the RST: d, on to the unanswered probes, their wait met, the reset step; gives the screen. */
export async function walkToTheRst(session: Session, words: CutWords): Promise<string> {
	session.keys('Right', 'd');
	await session.see(words.dropDone);
	session.keys('Right', 'Right');
	await session.see(words.unanswered);
	await session.see(words.waited, 20_000);
	session.keys('Right');
	return session.see(words.reset, 20_000);
}

/** Closes a session now (its terminal goes away); afterEach closes the last one otherwise. */
export function closeSession(session: Session): void {
	tmux('kill-session', '-t', session.name);
	if (current === session.name) current = undefined;
}

// Registered in the test file that imports this module: its sessions and scratch folder go after it.
afterEach(() => {
	if (current) {
		try {
			tmux('kill-session', '-t', current);
		} catch {}

		current = undefined;
	}
});

afterAll(() => {
	if (tmuxWorks) {
		try {
			tmux('kill-server');
		} catch {}
	}

	rmSync(scratch, {recursive: true, force: true});
});

export const built = existsSync(cliPath) && existsSync(path.join(path.dirname(cliPath), 'tutorial.js'));
