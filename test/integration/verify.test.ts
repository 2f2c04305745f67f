/**
 * `ka-tutorial verify` through the built CLI (`npm run build`): its refusals (no lab
 * starts), and every shipped exercise with a passing and a failing value set, checked by
 * the real kernel. The runs go concurrently: each spends its time waiting for timers.
 * A failing run stops once the check is decided, not at the RST.
 */
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {cliPath, parseEvents, root, startCli} from '../helpers/cli.js';
import {where} from '../helpers/privilege.js';

function run(...args: string[]) {
	expect(existsSync(cliPath), 'run `npm run build` first').toBe(true);
	const result = spawnSync(process.execPath, [cliPath, ...args], {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: ''}});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

const ids = 'detect-vanished, rst-on-the-dot, ride-out-outage, idle-below-intvl, read-a-timeline, keep-nat-entry';

describe('verify refuses, before any lab starts', () => {
	it.each([
		[['verify', 'no-such', '--idle', '4', '--intvl', '3', '--probes', '3'], `there is no exercise "no-such"; the exercises are ${ids} (ka-tutorial verify --list).`],
		[['verify', 'detect-vanished', '--idle', '4'], 'verify needs the values to try: --intvl, --probes are missing.'],
		[['verify', 'detect-vanished', '--idle', '4', '--intvl', '3'], 'verify needs the values to try: --probes is missing.'],
		[['verify', '--idle', '4', '--intvl', '3', '--probes', '3'], 'verify needs an exercise: ka-tutorial verify EXERCISE --idle S --intvl S --probes N (ka-tutorial verify --list shows them).'],
		[['verify', 'detect-vanished', '--idle', '0', '--intvl', '3', '--probes', '128'], "--idle must be from 1 to 32767 seconds (the kernel's range); got 0.\n--probes must be from 1 to 127 (the kernel's range); got 128."],
		[['verify', 'detect-vanished', '--idle', '40', '--intvl', '3', '--probes', '3'], '--idle must be from 1 to 30 seconds in exercise detect-vanished (idle 1..30 s); got 40.'],
		[['verify', 'detect-vanished', '--idle', '4', '--intvl', '3', '--probes', '3', '--drop-after', '2'], '--drop-after does not go with "verify" (it takes --idle, --intvl, --probes, --json, --sandbox, --firewall, --lessons, --lang, or --list).'],
		[['verify', '--list', 'detect-vanished'], 'verify --list lists the exercises; it takes no exercise and no values (only --lessons, --lang); got detect-vanished.'],
	])('%j: exit 2 and one message', (args, message) => {
		expect(run(...args)).toEqual({code: 2, stdout: '', stderr: `ka-tutorial: ${message}\n`});
	});

	it('lists the exercises with their goals, in English or in Chinese', () => {
		const english = run('verify', '--list');
		expect(english.code).toBe(0);
		expect(english.stdout.trimEnd().split('\n').map(line => line.split(/\s+/)[0]).join(', ')).toBe(ids);
		expect(english.stdout).toMatch(/^detect-vanished {3}The server gives up on a vanished client within 20 s of the drop/);
		expect(run('verify', '--list', '--lang', 'zh').stdout).toMatch(/^detect-vanished {3}客户端消失后/);
	});

	it('is in --help', () => {
		expect(run('--help').stdout).toContain('ka-tutorial verify EXERCISE --idle S --intvl S --probes N [--json]');
	});
});

type Verdict = {type: 'verdict'; exercise: string; pass: boolean; reason: string; results: Array<{text: string; status: string; reason: string}>};

async function verify(exercise: string, [idle, intvl, probes]: number[]) {
	const cli = startCli(['verify', exercise, '--json', '--idle', String(idle), '--intvl', String(intvl), '--probes', String(probes)]);
	const {code} = await cli.exit;
	const verdict = cli.lines.map(line => JSON.parse(line) as {type: string}).at(-1) as Verdict;
	return {code, verdict, events: parseEvents(cli.lines.slice(0, -1)), stderr: cli.stderr()};
}

where('sandbox', 'firewall').describe('verify on the real kernel', () => {
	it.concurrent.each([
		// Probes at 10 (answered), 20, 24, 28, the RST due at 32 s: the run stops 20 s after the drop, when the goal is missed.
		['detect-vanished', [4, 3, 3], [10, 4, 3], /^no RST came within 20 s of the drop \(at 10\.\d{3} s\)$/],
		['rst-on-the-dot', [3, 3, 3], [2, 2, 3], /^the RST came 8\.\d{3} s after the last answer the server heard; the goal was 12 s, but your values aim it at 8\.000 s/],
		['ride-out-outage', [4, 3, 3], [2, 2, 2], /^the RST came at \d+\.\d{3} s, \d\.\d{3} s into drop 1 \(on at \d\.\d{3} s\)$/],
		['idle-below-intvl', [2, 5, 2], [2, 2, 2], /^probes 1 and 2 \(at 2\.\d{3} s and 4\.\d{3} s\) were 2\.\d{3} s apart; the goal was at least 5 s$/],
		['read-a-timeline', [4, 2, 3], [4, 2, 2], /^the RST came at 12\.\d{3} s after the handshake, where the recorded run had probe 4 /],
		// The router forgets 8 s after the handshake, before the first probe at 10 s; the line at 20 s dies there, and the run stops 2 s later.
		['keep-nat-entry', [5, 2, 3], [10, 5, 3], /^the router forgot the connection at 8\.\d{3} s; the line written at 20\.\d{3} s never left the router: \d+ copies of it entered, none left \(INVALID \d+\)/],
	] as const)('%s: the solution %j passes (exit 0), %j fails (exit 1) with the reason from its timeline', async (exercise, good, bad, reason) => {
		const [passing, failing] = await Promise.all([verify(exercise, [...good]), verify(exercise, [...bad])]);
		expect({code: passing.code, pass: passing.verdict.pass, stderr: passing.stderr}, passing.verdict.reason).toEqual({code: 0, pass: true, stderr: ''});
		expect(passing.verdict.results.every(result => result.status === 'pass')).toBe(true);
		expect({code: failing.code, pass: failing.verdict.pass}).toEqual({code: 1, pass: false});
		expect(failing.verdict.reason).toMatch(reason);
		expect(failing.events.filter(e => e.type === 'sockopt')).toMatchObject([{idle: bad[0], intvl: bad[1], probes: bad[2]}]);
	}, 90_000);

	it.concurrent('prints the timeline and the verdict as text', async () => {
		const cli = startCli(['verify', 'idle-below-intvl', '--idle', '2', '--intvl', '2', '--probes', '2']);
		expect((await cli.exit).code).toBe(1);
		const text = cli.lines.join('\n');
		expect(cli.lines.slice(0, 2)).toEqual(['exercise idle-below-intvl: Soon, then seldom', expect.stringMatching(/^goal {5}The first probe 2 s after the handshake/)]);
		expect(text).toMatch(/\n +2\.\d{3} {2}server → client {2}Keep-Alive /);
		expect(text).toMatch(/\nverdict {2}FAIL: probes 1 and 2 .* apart; the goal was at least 5 s\n/);
		expect(text).toMatch(/\n {2}✓ probe 1 near 2 s after connect: probe 1 came 2\.\d{3} s after the handshake/);
		expect(text).toMatch(/\n {2}✗ probe-gaps at least 5 s: /);
		// The check decided at the second probe: the run stopped there, not at the RST.
		expect(text).not.toMatch(/server → client {2}RST/);
		expect(text).toMatch(/\n {2}\? rst within 17 s of drop: undecided: the run ended \d\.\d{3} s after the drop, before the RST was due/);
	}, 30_000);
});
