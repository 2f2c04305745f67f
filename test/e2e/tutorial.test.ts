import {mkdtempSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {cliPath, isAlive, startCli, waitUntil} from '../helpers/cli.js';
import {where} from '../helpers/privilege.js';
import {built, closeSession, expectNamespacesGone, expectNothingLeft, scratch, type Session, start, tmux, walkToTheRst} from '../helpers/tmux-tutorial.js';

/*
 * The real, built tutorial in a real terminal (tmux, see ../helpers/tmux-tutorial.ts). Each
 * test checks that all of the tutorial's process tree, and its network namespace, is gone afterwards.
 */


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
		await session.see(/Cut the wire[\s\S]*Lesson 6\/\d+/);
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
		expect(lines[1]).toMatch(/^Lesson 6\/\d+ · step 1\/8/);
		expect(screen).toMatch(/→ next {2}← back {2}n\/p lesson {2}m menu {2}r restart lab {2}\? help {2}q quit/);
		expect(screen).toContain('Playing dead');
		expect(screen).toContain('--sport <client port> -j DROP');
		expect(screen).toContain('→ Press → for the next step.');
		for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);

		await walkToTheRst(session, {
			dropDone: '✓ Done: the drop is in force.',
			unanswered: 'Unanswered probes',
			waited: '✓ Done: waited for a keepalive probe',
			reset: /The reset[\s\S]*! +[\d.]+ S→C RST/,
		});
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

	it('draws a whole frame at each new size of its terminal, and the ticks after it in place', async () => {
		const session = start('--preset fast --lesson 5', 100, 30);
		await session.see(/Watching keepalive live[\s\S]*port 6699/);
		session.record();
		/** One frame, fitted: the title on the first row, the key hints once, on the frame's last row, nothing wider than the terminal. */
		const fitted = (screen: string, columns: number, rows: number) => {
			const lines = screen.split('\n');
			const hints = lines.flatMap((line, index) => (line.includes('q quit') ? [index] : []));
			return (
				/^Watching keepalive live/.test(lines[0] ?? '') &&
				lines.filter(line => line.includes('Watching keepalive live')).length === 1 &&
				hints.length === 1 &&
				hints[0] === rows - 2 &&
				lines.every(line => [...line].length <= columns)
			);
		};

		for (const [columns, rows] of [
			[80, 24],
			[120, 40],
			[60, 20],
			[100, 30],
		] as const) {
			tmux('resize-window', '-t', session.name, '-x', String(columns), '-y', String(rows));
			await waitUntil(() => fitted(session.screen(), columns, rows), 5000, `a fitted frame at ${columns}×${rows}`);
			// The countdowns tick in tenths (idle 5 s): the next frames, written row by row, keep the frame whole.
			const first = session.screen();
			await waitUntil(() => session.screen() !== first, 5000, 'the next tick');
			expect(fitted(session.screen(), columns, rows), session.screen()).toBe(true);
		}

		session.keys('q');
		await expectNothingLeft(session, 0);
	}, 60_000);

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
		closeSession(session);
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
		closeSession(session);
	}

	it('resumes at the step it was left on, keeps it with --lesson, and starts over with --reset', async () => {
		// One progress folder for the three runs.
		const config = mkdtempSync(path.join(scratch, 'config-'));
		let session = start('', 100, 30, {config});
		await session.see(/Lesson 1\/\d+ · step 1\//);
		session.keys('Right', 'Right');
		await session.see(/Lesson 1\/\d+ · step 3\//);
		await quit(session);

		session = start('', 100, 30, {config});
		await session.see(/Lesson 1\/\d+ · step 3\//);
		// The menu marks the lesson as started, with the steps done so far.
		session.keys('m');
		await session.see(/▸ +1 ◐ Why keepalive exists +2\/\d/);
		await quit(session);

		// --lesson goes where it says; what was done stays done.
		session = start('--lesson 2', 100, 30, {config});
		await session.see(/Lesson 2\/\d+ · step 1\//);
		session.keys('m');
		await session.see(/ 1 ◐ Why keepalive exists +2\/\d/);
		await quit(session);

		session = start('--reset', 100, 30, {config});
		await session.see(/Lesson 1\/\d+ · step 1\//);
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
