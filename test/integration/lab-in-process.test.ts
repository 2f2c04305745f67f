/**
 * As root the lab runs in this process (dist/lab/host/in-process.js): its thread enters
 * the run's namespace and comes back, and runs take turns. Real runs on loopback.
 */
import {readlinkSync} from 'node:fs';
import {expect, it} from 'vitest';
import type {LabEvent} from '../../source/lab/shared/events.js';
import {waitUntil} from '../helpers/cli.js';
import {where} from '../helpers/privilege.js';

const {createLab} = (await import(new URL('../../dist/lab/host/lab.js', import.meta.url).href)) as typeof import('../../source/lab/host/lab.js');
const firewall = (await import(new URL('../../dist/lab/agent/firewall.js', import.meta.url).href)) as typeof import('../../source/lab/agent/firewall.js');

const here = () => readlinkSync('/proc/thread-self/ns/net');
const params = {idle: 55, intvl: 5, probes: 2, sandbox: 'netns'} as const;

function recorded(lab: ReturnType<typeof createLab>): LabEvent[] {
	const events: LabEvent[] = [];
	lab.subscribe(event => events.push(event));
	return events;
}

const connected = (events: LabEvent[]) => events.some(e => e.type === 'socket' && e.side === 'client' && e.event === 'connected');

where('root').describe('the lab in this process', () => {
	it('runs in a namespace of its own, the next run only after it, and comes home after each', async () => {
		const home = here();
		const first = createLab(params);
		const second = createLab(params);
		const firstEvents = recorded(first);
		const secondEvents = recorded(second);
		await first.start();
		const firstNs = here();
		expect(firstNs).not.toBe(home);
		let secondReady = false;
		const secondStart = second.start().then(() => (secondReady = true));
		await waitUntil(() => connected(firstEvents), 5000, 'the first run\'s client to connect');
		// The second waits its turn: this thread can be in one namespace at a time.
		await new Promise(resolve => setTimeout(resolve, 300));
		expect(secondReady).toBe(false);
		await first.stop();
		expect(firstEvents.at(-1)).toMatchObject({type: 'lab', event: 'stopped'});
		await secondStart;
		const secondNs = here();
		expect([home, firstNs]).not.toContain(secondNs);
		await waitUntil(() => connected(secondEvents), 5000, 'the second run\'s client to connect');
		await second.stop();
		expect(here()).toBe(home);
		// Back home, the engine's firewall refuses to run at all: this is the host's namespace.
		await expect(firewall.run({argv: ['iptables', '-S'], line: 'iptables -S'})).rejects.toThrow(/^refusing to run `iptables -S` outside the lab's namespace/);
	});

	it('stops a run still waiting for its turn without starting it', async () => {
		const home = here();
		const running = createLab(params);
		const waiting = createLab(params);
		const waitingEvents = recorded(waiting);
		await running.start();
		const waitingStart = waiting.start();
		await waiting.stop();
		await expect(waitingStart).rejects.toThrow('stopped before it was ready');
		expect(waitingEvents.filter(e => e.type === 'lab').map(e => e.type === 'lab' && e.event)).toEqual(['stopped']);
		await running.stop();
		expect(here()).toBe(home);
	});

	it('stops at once in the middle of its start-up, and comes home', async () => {
		const home = here();
		for (const ms of [0, 5, 20, 60]) {
			const lab = createLab(params);
			const start = lab.start();
			start.catch(() => undefined);
			await new Promise(resolve => setTimeout(resolve, ms));
			await lab.stop();
			expect(here(), `a stop ${ms} ms into the start-up`).toBe(home);
		}
	});

	it('runs beside it in a process of its own when asked to', async () => {
		const inProcess = createLab(params);
		const ownProcess = createLab({...params, agent: 'process'});
		const events = recorded(ownProcess);
		await inProcess.start();
		await ownProcess.start();
		await waitUntil(() => connected(events), 5000, 'the process run\'s client to connect');
		await Promise.all([inProcess.stop(), ownProcess.stop()]);
	});
});
