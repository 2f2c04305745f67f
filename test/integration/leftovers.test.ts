import {expect, it} from 'vitest';
import {descendants, isAlive, netnsOf, parseEvents, startCli, waitUntil} from '../helpers/cli.js';
import {where} from '../helpers/privilege.js';
import {leaks} from './leftover-check.js';

/** Starts a long lab (the article's 55 s idle) and waits until the client has connected. */
async function startLongLab() {
	const run = startCli(['lab', '--json', '--preset', 'article']);
	await waitUntil(
		() => parseEvents(run.lines).some(e => e.type === 'socket' && e.side === 'client' && e.event === 'connected'),
		10_000,
		'the client to connect',
	);
	const pids = [run.child.pid!, ...descendants(run.child.pid!)];
	const home = netnsOf(process.pid);
	const inLab = pids.filter(pid => netnsOf(pid) !== home);
	const namespaces = new Set(inLab.map(netnsOf).filter((ns): ns is string => ns !== undefined));
	// The process that holds the server's socket (the CLI itself as root; the agent unshare
	// execs in a user namespace) and the client it starts: two processes, one private namespace.
	expect(inLab.length).toBeGreaterThanOrEqual(2);
	expect(namespaces.size).toBe(1);
	return {run, pids, namespaces};
}

async function expectNothingLeft(pids: number[], namespaces: Set<string>): Promise<void> {
	await waitUntil(() => pids.every(pid => !isAlive(pid)), 5000, `processes ${pids.join(', ')} to end`);
	expect(leaks(namespaces)).toEqual([]);
}

where('sandbox', 'firewall').describe('a lab leaves nothing behind', () => {
	it('after a run that ends normally', async () => {
		const run = startCli(['lab', '--json', '--idle', '1', '--intvl', '1', '--probes', '1', '--drop-after', '0']);
		await waitUntil(() => run.lines.length > 0, 10_000, 'the lab to be ready');
		const pids = descendants(run.child.pid!);
		const namespaces = new Set(pids.map(netnsOf).filter((ns): ns is string => ns !== undefined));
		const {code} = await run.exit;
		expect(code).toBe(0);
		await expectNothingLeft(pids, namespaces);
	});

	const exitCodes = {SIGINT: 130, SIGTERM: 143};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
		it(`after the command gets ${signal} mid-run`, async () => {
			const {run, pids, namespaces} = await startLongLab();
			run.child.kill(signal);
			const {code, signal: killedBy} = await run.exit;
			if (signal === 'SIGKILL') expect(killedBy).toBe('SIGKILL');
			else expect(code).toBe(exitCodes[signal]);
			await expectNothingLeft(pids, namespaces);
		});
	}

	// From spawn to the lab's ready takes about a second here: these moments fall before Node
	// is up, while the agent starts, and while it sets up the namespace.
	const startCodes = {SIGINT: 130, SIGTERM: 143, SIGHUP: 129} as const;
	it('stops at once on a signal at any moment of the start-up, leaving nothing', async () => {
		for (const [index, ms] of [100, 200, 300, 400, 500, 700].entries()) {
			for (const signal of Object.keys(startCodes) as Array<keyof typeof startCodes>) {
				const run = startCli(['lab', '--json', '--preset', 'article']);
				const pids = new Set<number>();
				const namespaces = new Set<string>();
				const record = () => {
					for (const pid of descendants(run.child.pid!)) {
						pids.add(pid);
						const ns = netnsOf(pid);
						if (ns && ns !== netnsOf(process.pid)) namespaces.add(ns);
					}
				};

				try {
					const sendAt = Date.now() + ms;
					await waitUntil(() => (record(), Date.now() >= sendAt), ms + 1000, 'the moment');
					const sentAt = Date.now();
					run.child.kill(signal);
					// A second signal, on some runs, changes nothing.
					if (index % 2 === 1) setTimeout(() => run.child.kill(signal), 50);
					let ended = false;
					void run.exit.then(() => (ended = true));
					await waitUntil(() => (record(), ended), 3000, `the lab to stop after ${signal} at ${ms} ms`);
					const {code, signal: killedBy} = await run.exit;
					// Before Node has set up its handlers the signal's default action ends it: 128 + n all the same to a shell.
					expect(code === startCodes[signal] || killedBy === signal, `${signal} at ${ms} ms: exit ${code ?? killedBy}`).toBe(true);
					expect(Date.now() - sentAt).toBeLessThan(2500);
					// Once the lab was ready, the experiment ran and says how it ended.
					for (const summary of parseEvents(run.lines).filter(event => event.type === 'summary')) {
						expect(summary).toMatchObject({ok: false, failure: 'stopped by the user before the RST'});
					}
					await expectNothingLeft([...pids], namespaces);
				} finally {
					run.child.kill('SIGKILL');
				}
			}
		}
	}, 120_000);
});
