/**
 * sock_diag (dist/lab/agent/sock-diag.js) in real namespaces: run `npm run build` first.
 * A driver connects a client to a server on 127.0.0.1 with keepalive idle 2 s / intvl 1 s,
 * samples both sockets every ~40 ms for 4.6 s next to /proc/self/net/tcp, then times the reads.
 */
import {afterAll, expect, it} from 'vitest';
import type {SockDiagReading} from '../../source/lab/agent/sock-diag-codec.js';
import {where} from '../helpers/privilege.js';
import {killDrivers, runDriver} from './drivers/run-driver.js';

type ProcReading = {side: string; state: string; timer: string; dueIn: number; probesOut: number};
type Sides<T> = {server?: T; client?: T};
type Sample = {t: number; before: Sides<SockDiagReading>; proc: Sides<ProcReading>; after: Sides<SockDiagReading>};
type Cost = {n: number; median: number; p90?: number; max?: number};
type DiagRun = {
	uidMap: string;
	clientPort: number;
	samples: Sample[];
	fds: {before: number; whileOpen: number; afterSampling: number; afterTimings: number};
	costs: {lookup: Cost; dump: Cost; reopen: Cost; proc: Cost};
};

const port = 40527;
const idleMs = 2000;
const intvlMs = 1000;

afterAll(() => {
	killDrivers();
});

function check(run: DiagRun): void {
	const {samples} = run;
	expect(samples.length).toBeGreaterThan(50);

	// A probe is out only between its sending and its answer, a loopback round trip: a read
	// can land in that gap when the machine is busy, never for more than a moment.
	let probeOut = 0;
	for (const {before, after} of samples) {
		for (const reading of [before, after]) {
			expect(reading.server).toMatchObject({state: 'ESTABLISHED', timer: 'keepalive', localPort: port, remotePort: run.clientPort});
			expect(reading.server!.probesOut).toBeLessThanOrEqual(1);
			probeOut += reading.server!.probesOut;
			expect(reading.client).toMatchObject({state: 'ESTABLISHED', timer: 'none', probesOut: 0, localPort: run.clientPort, remotePort: port});
		}
	}

	// Two probes, each caught at most by the two reads of one sample (~40 ms apart).
	expect(probeOut).toBeLessThanOrEqual(4);

	// Right after the connection: the whole idle time ahead, nothing heard for long.
	const first = samples[0]!.before.server!;
	expect(first.dueInMs).toBeGreaterThan(idleMs - 150);
	expect(first.dueInMs).toBeLessThanOrEqual(idleMs);
	expect(first.sinceRecvMs).toBeLessThan(150);

	// /proc agrees: the same state, timer and probes, and its 10 ms ticks (rounded down)
	// fall between the two sock_diag reads taken just before and just after it. Skipped
	// where the timer fired or re-armed, or a probe went out or was answered, in between.
	let compared = 0;
	for (const {before, proc, after} of samples) {
		for (const name of ['server', 'client'] as const) {
			const b = before[name]!;
			const a = after[name]!;
			const p = proc[name]!;
			if (a.dueInMs > b.dueInMs || a.probesOut !== b.probesOut) continue;
			expect(p).toMatchObject({state: b.state, timer: b.timer, probesOut: b.probesOut});
			const procMs = Math.round(p.dueIn * 1000);
			expect(procMs).toBeLessThanOrEqual(b.dueInMs);
			expect(procMs).toBeGreaterThanOrEqual(a.dueInMs - 10);
			compared++;
		}
	}

	expect(compared).toBeGreaterThan(samples.length);

	// sinceRecvMs grows with the clock between answered probes, and drops to ~0 with each
	// answer: a probe answered at t - sinceRecvMs.
	const server = samples.map(({t, before}) => ({t, ...before.server!}));
	const answers: number[] = [];
	for (let i = 1; i < server.length; i++) {
		const previous = server[i - 1]!;
		const current = server[i]!;
		if (current.sinceRecvMs! < previous.sinceRecvMs!) {
			answers.push(current.t - current.sinceRecvMs!);
		} else {
			const grew = current.sinceRecvMs! - previous.sinceRecvMs!;
			expect(Math.abs(grew - (current.t - previous.t))).toBeLessThan(30);
		}
	}

	// Probes at idle and 2 × idle: after the first answer the timer fired at intvl (about
	// 3 s), found the client heard from 1 s before and waited out the rest of idle.
	expect(answers).toHaveLength(2);
	const [answer1, answer2] = answers as [number, number];
	expect(answer1).toBeGreaterThan(idleMs - 100);
	expect(answer1).toBeLessThan(idleMs + 150);
	expect(answer2 - answer1).toBeGreaterThan(idleMs - 60);
	expect(answer2 - answer1).toBeLessThan(idleMs + 100);

	// Between the two: t + max(dueIn, idle - sinceRecv) names the second probe all along,
	// while the timer alone pointed at the re-arm, about 1 s early, for half of that time.
	let early = 0;
	let rearmed = false;
	for (let i = 0; i < server.length; i++) {
		const s = server[i]!;
		if (s.t < answer1 + 100 || s.t > answer2 - 100) continue;
		const nextProbe = Math.max(s.dueInMs, idleMs - s.sinceRecvMs!);
		expect(Math.abs(s.t + nextProbe - answer2)).toBeLessThan(60);
		if (s.t + s.dueInMs < answer2 - intvlMs / 2) early++;
		if (i > 0 && s.dueInMs > server[i - 1]!.dueInMs + 500 && s.sinceRecvMs! > server[i - 1]!.sinceRecvMs!) rearmed = true;
	}

	expect(early).toBeGreaterThan(5);
	expect(rearmed).toBe(true);

	// The client never has a keepalive timer, and a probe it receives does not count as
	// heard from (it is out of window: answered, not processed).
	const client = samples.map(({t, before}) => ({t, ...before.client!}));
	for (let i = 1; i < client.length; i++) {
		expect(client[i]!.sinceRecvMs!).toBeGreaterThanOrEqual(client[i - 1]!.sinceRecvMs!);
	}

	// One netlink socket while reading, none after closeSockDiag, none leaked by 3000 reads.
	expect(run.fds.whileOpen).toBe(run.fds.before + 1);
	expect(run.fds.afterSampling).toBe(run.fds.before);
	expect(run.fds.afterTimings).toBe(run.fds.before);
}

where('root').describe('sock_diag as real root in `unshare --net`', () => {
	it('reads the keepalive timer and the time since the peer was heard from, as /proc and the probes show', async () => {
		const {result: run, code} = await runDriver<DiagRun>('sock-diag-driver.mjs', {}, 'netns');
		expect(code).toBe(0);
		check(run);
	});
});

where('nobody-userns').describe('sock_diag as `nobody` in `unshare --user --map-root-user --net`', () => {
	it('needs no privilege', async () => {
		const {result: run, code} = await runDriver<DiagRun>('sock-diag-driver.mjs', {}, 'userns');
		expect(code).toBe(0);
		// Root in the namespace, nobody (65534) outside.
		expect(run.uidMap.split(/\s+/)).toEqual(['0', '65534', '1']);
		check(run);
	});
});
