import {describe, expect, it} from 'vitest';
import {descendants, isAlive, liveNetns, netnsOf, parseEvents, startCli, waitUntil} from '../helpers/cli.js';

/** Starts a long lab (the article's 55 s idle) and waits until the client has connected. */
async function startLongLab() {
	const run = startCli(['lab', '--json', '--preset', 'article']);
	await waitUntil(
		() => parseEvents(run.lines).some(e => e.type === 'socket' && e.side === 'client' && e.event === 'connected'),
		10_000,
		'the client to connect',
	);
	const pids = descendants(run.child.pid!);
	const namespaces = new Set(pids.map(netnsOf).filter((ns): ns is string => ns !== undefined));
	// unshare execs the agent; the agent starts the server and the client: three processes, one private namespace.
	expect(pids.length).toBeGreaterThanOrEqual(3);
	expect(namespaces.size).toBe(1);
	expect(namespaces.has(netnsOf(process.pid)!)).toBe(false);
	return {run, pids, namespaces};
}

async function expectNothingLeft(pids: number[], namespaces: Set<string>): Promise<void> {
	await waitUntil(() => pids.every(pid => !isAlive(pid)), 5000, `processes ${pids.join(', ')} to end`);
	const live = liveNetns();
	for (const ns of namespaces) expect(live.has(ns)).toBe(false);
}

describe('a lab leaves nothing behind', () => {
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
});
