import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {cliPath, descendants, isAlive, liveNetns, netnsOf, startCli, waitUntil} from '../helpers/cli.js';
import {where} from '../helpers/privilege.js';

/*
 * The real, built tutorial (`node dist/cli.js`, see `npm run build`) in a real terminal:
 * tmux, on a socket of its own so that no other tmux server is touched. Each test
 * records the process tree of the tutorial while it runs and checks that all of it, and
 * its network namespace, is gone afterwards.
 */

const socket = `ka-e2e-${process.pid}`;
let tmuxWorks = false;
try {
	execFileSync('tmux', ['-V']);
	tmuxWorks = true;
} catch {}

const scratch = mkdtempSync(path.join(tmpdir(), 'ka-e2e-'));
let sessions = 0;
let current: string | undefined;

function tmux(...args: string[]): string {
	return execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
}

type Session = {
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
	/** The tutorial's own pid (node dist/cli.js). */
	tutorialPid: () => number | undefined;
	exitCode: () => number | undefined;
};

const hostNetns = netnsOf(process.pid);

/** Starts the tutorial in a new tmux session; `config` is its progress folder (default: a fresh one, so that no test resumes another's steps). */
function start(args: string, width: number, height: number, config = mkdtempSync(path.join(scratch, 'config-'))): Session {
	const name = `t${++sessions}`;
	current = name;
	const exitFile = path.join(scratch, `${name}.exit`);
	// The shell stays after the tutorial, so that the screen and the exit code can be read.
	// CI set, as on a build machine's terminal: the tutorial must stay interactive there too.
	// --lang en: the screens looked for are the English course's, whatever the locale says.
	const command = `CI=true KA_TUTORIAL_CONFIG_DIR=${config} node ${cliPath} --lang en ${args} 2> ${exitFile}.err; echo $? > ${exitFile}; sleep 600`;
	tmux('new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), 'sh', '-c', command);
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
				screen = session.screen();
				return typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen);
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
					return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/cli.js');
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

/** Waits for the tutorial to exit, then checks that nothing it started is left. */
async function expectNothingLeft(session: Session, code: number): Promise<void> {
	await waitUntil(() => session.exitCode() !== undefined, 10_000, 'the tutorial to exit');
	expect(session.exitCode(), `exit code; stderr: ${readFileSync(`${session.exitFile}.err`, 'utf8')}`).toBe(code);
	expect(session.pids.size).toBeGreaterThanOrEqual(3); // the tutorial, the lab's agent, its peers
	expect(session.namespaces.size).toBe(1);
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
async function expectNamespacesGone(session: Session): Promise<void> {
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

const built = existsSync(cliPath) && existsSync(path.join(path.dirname(cliPath), 'tutorial.js'));

where('tmux', 'sandbox', 'firewall').describe('the tutorial in a terminal (tmux)', () => {
	beforeAll(() => {
		if (!built) throw new Error(`${cliPath} or its tutorial.js is missing: run \`npm run build\` first`);
	});

	it('runs lessons 5 and 6 with the fast preset: probes answered, the drop, the RST, both errors; q leaves nothing', async () => {
		const session = start('--preset fast --lesson 5', 100, 30);
		await session.see(/Watching keepalive live[\s\S]*port 6699/);
		session.record();
		// Step 4 waits for two answered probes: idle 5 s, so about 10 s.
		session.keys('Right', 'Right', 'Right');
		await session.see('Two answered probes');
		await session.see('✓ Done: waited for 2 keepalive', 25_000);
		expect(session.screen()).toMatch(/Keep-Alive ACK/);

		session.keys('n');
		await session.see(/Cut the wire[\s\S]*Lesson 6\/7/);
		session.keys('Right');
		await session.see("Press d to drop the client's packets");
		session.keys('d');
		await session.see('✓ Done: the drop is in force.');
		expect(session.screen()).toMatch(/drop: (iptables -A INPUT -p tcp --sport \d+ -j DROP|nft add rule)/);
		session.keys('Right');
		await session.see(/What ran[\s\S]*(iptables -A INPUT|nft add rule)/);
		session.keys('Right');
		await session.see('Unanswered probes');

		// The RST: max(idle 5 s, intvl 2 s) + 3 × 2 s after the last answered probe.
		const end = await session.see(/! +[\d.]+ (S→C|server → client) RST/, 25_000);
		await session.see(/server ETIMEDOUT[\s\S]*client ECONNRESET|client ECONNRESET[\s\S]*server ETIMEDOUT/, 5000);
		expect(end).toMatch(/✓ Done: waited for a keepalive/);
		session.keys('Right');
		await session.see(/The reset[\s\S]*real: t = [\d.]+ s/);
		session.keys('Right', 'Right');
		await session.see(/The client's error[\s\S]*ECONNRESET/);

		session.record();
		session.keys('q');
		await expectNothingLeft(session, 0);
		expect(session.screen()).toContain('Stopped: nothing of the lab is left running.');
	}, 120_000);

	it('fits 80 × 24, and Ctrl-C leaves nothing behind', async () => {
		const session = start('--preset fast --lesson 6', 80, 24);
		const screen = await session.see('port 6699');
		const lines = screen.split('\n');
		expect(lines[0]).toMatch(/^Cut the wire +lab (netns|userns)/);
		expect(lines[1]).toMatch(/^Lesson 6\/7 · step 1\/8/);
		expect(screen).toMatch(/→ next {2}← back {2}n\/p lesson {2}m menu {2}r restart lab {2}\? help {2}q quit/);
		expect(screen).toContain('Playing dead');
		expect(screen).toContain('--sport <client port> -j DROP');
		expect(screen).toContain('→ Press → for the next step.');
		for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);

		session.keys('Right', 'd');
		await session.see('✓ Done: the drop is in force.');
		session.keys('Right', 'Right');
		await session.see('Unanswered probes');
		await session.see('✓ Done: waited for a keepalive probe', 20_000);
		session.keys('Right');
		await session.see(/The reset[\s\S]*! +[\d.]+ S→C RST/, 20_000);
		await session.see(/real: t = [\d.]+ s[\s\S]*predicted: t = [\d.]+ s/);
		// The sockets' errors come from their own processes, a few milliseconds after the RST.
		const after = await session.see(/server ETIMEDOUT[\s\S]*client ECONNRESET/);
		// Still nothing important cut once the lab pane is full.
		const rowsAfter = after.split('\n');
		expect(rowsAfter[0]).toMatch(/^Cut the wire +lab (netns|userns)/);
		expect(after).toMatch(/server ETIMEDOUT/);
		expect(after).toMatch(/client ECONNRESET/);
		expect(after).toMatch(/q quit/);
		for (const line of rowsAfter) expect([...line].length).toBeLessThanOrEqual(80);
		session.record();
		session.keys('C-c');
		await expectNothingLeft(session, 130);
	}, 90_000);

	it('stops the lab and exits with 143 on SIGTERM', async () => {
		const session = start('--preset fast --lesson 4', 100, 30);
		await session.see(/What a probe looks like[\s\S]*port 6699/);
		session.record();
		const pid = session.tutorialPid();
		expect(pid).toBeDefined();
		process.kill(pid!, 'SIGTERM');
		await expectNothingLeft(session, 143);
	}, 60_000);
});

where('tmux', 'sandbox', 'firewall').describe('the tutorial when its terminal closes', () => {
	it('stops the lab when the terminal goes away (SIGHUP)', async () => {
		const session = start('--preset fast --lesson 5', 100, 30);
		await session.see(/Watching keepalive live[\s\S]*port 6699/);
		session.record();
		tmux('kill-session', '-t', session.name);
		current = undefined;
		await waitUntil(() => [...session.pids].every(pid => !isAlive(pid)), 8000, 'every process of the tutorial to end');
		expect(session.namespaces.size).toBe(1);
		await expectNamespacesGone(session);
	}, 60_000);
});

where('tmux').describe('the tutorial remembers where the learner was', () => {
	/** Quits with q from a lesson without a lab, and waits for the exit. */
	async function quit(session: Session): Promise<void> {
		session.keys('q');
		await waitUntil(() => session.exitCode() !== undefined, 10_000, 'the tutorial to exit');
		expect(session.exitCode(), readFileSync(`${session.exitFile}.err`, 'utf8')).toBe(0);
		tmux('kill-session', '-t', session.name);
	}

	it('resumes at the step it was left on, keeps it with --lesson, and starts over with --reset', async () => {
		// One progress folder for the three runs.
		const config = mkdtempSync(path.join(scratch, 'config-'));
		let session = start('', 100, 30, config);
		await session.see('Lesson 1/7 · step 1/');
		session.keys('Right', 'Right');
		await session.see('Lesson 1/7 · step 3/');
		await quit(session);

		session = start('', 100, 30, config);
		await session.see('Lesson 1/7 · step 3/');
		// The menu marks the lesson as started, with the steps done so far.
		session.keys('m');
		await session.see(/▸ 1 ◐ Why keepalive exists +2\/\d/);
		await quit(session);

		// --lesson goes where it says; what was done stays done.
		session = start('--lesson 2', 100, 30, config);
		await session.see('Lesson 2/7 · step 1/');
		session.keys('m');
		await session.see(/ 1 ◐ Why keepalive exists +2\/\d/);
		await quit(session);

		session = start('--reset', 100, 30, config);
		await session.see('Lesson 1/7 · step 1/');
		await quit(session);
	});
});

describe('the tutorial without a terminal', () => {
	it('says to use `ka-tutorial lab` and exits with 1, starting nothing', async () => {
		if (!built) throw new Error(`${cliPath} is missing: run \`npm run build\` first`);
		const cli = startCli(['--preset', 'fast']);
		const {code} = await cli.exit;
		expect(code).toBe(1);
		expect(cli.stderr()).toContain('needs a terminal');
		expect(cli.stderr()).toContain('ka-tutorial lab');
		expect(cli.lines.join('\n')).toBe('');
	});
});
