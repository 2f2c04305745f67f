/**
 * `lab --scenario nat` for real (run `npm run build` first): a router between client and
 * server forgets the idle connection. Without the server's keepalive the client's line
 * dies at the router as INVALID; with probes more often than the router's timeout each
 * probe sets the router's entry back up and the line arrives. Checked on the wire at both
 * sides of the router, on the router's own counters, and on what the server's application read.
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, expect} from 'vitest';
import type {ConntrackEvent, InvalidEvent, LabEvent, PacketEvent, SummaryEvent} from '../../source/lab/shared/events.js';
import {descendants, netnsOf, parseEvents, startCli, waitUntil} from '../helpers/cli.js';
import {where} from '../helpers/privilege.js';
import {expectNothingLeft, untilEnded} from './leftover-check.js';

const work = mkdtempSync(path.join(tmpdir(), 'ka-nat-'));
afterAll(() => rmSync(work, {recursive: true, force: true}));

const natTimeout = 4;
const line = 'still there?\n';

/** The run's events, one list per lab (each starts at its ready). */
function phases(events: LabEvent[]): LabEvent[][] {
	const split: LabEvent[][] = [];
	for (const event of events) {
		if (event.type === 'lab' && event.event === 'ready') split.push([]);
		split.at(-1)?.push(event);
	}

	return split;
}

const packets = (events: LabEvent[]) => events.filter((e): e is PacketEvent => e.type === 'packet');
const clientData = (p: PacketEvent) => p.from === 'client' && (p.kind === 'data' || p.kind === 'retransmission');
const conntrack = (events: LabEvent[]) => events.filter((e): e is ConntrackEvent => e.type === 'conntrack');

function expectLost(events: LabEvent[]): void {
	const summary = events.at(-1) as SummaryEvent;
	expect(summary).toMatchObject({type: 'summary', scenario: 'nat', keepalive: false, natTimeout, expected: 'lost', delivered: false, ok: true});
	expect(events.find(e => e.type === 'sockopt' && e.side === 'server')).toMatchObject({keepalive: false});
	const sent = events.find(e => e.type === 'app' && e.side === 'client' && e.event === 'sent')!;
	expect(sent).toMatchObject({text: line});
	// The router had forgotten the connection before the client wrote: its own table says so.
	const before = conntrack(events).filter(e => e.t < sent.t);
	expect(before.some(e => e.present && e.state === 'ESTABLISHED')).toBe(true);
	expect(before.at(-1)).toMatchObject({present: false});
	// The line and its retransmissions enter the router; none leaves it, none reaches the server.
	const all = packets(events);
	const into = all.filter(p => p.at === 'router-in' && clientData(p));
	expect(into.length).toBeGreaterThanOrEqual(2);
	expect(into.slice(1).every(p => p.kind === 'retransmission' && p.seq === into[0]!.seq && p.len === into[0]!.len)).toBe(true);
	expect(all.filter(p => p.at === 'router-out' && clientData(p))).toEqual([]);
	expect(all.filter(p => p.at === undefined && clientData(p))).toEqual([]);
	expect(events.filter(e => e.type === 'app' && e.side === 'server')).toEqual([]);
	// The client's kernel, read in the client's own namespace, counts its retransmissions.
	const clientRetransmits = events.flatMap(e => (e.type === 'kernel' && e.side === 'client' ? [e.retransmits ?? 0] : []));
	expect(Math.max(...clientRetransmits)).toBeGreaterThanOrEqual(1);
	// The INVALID rule's own counter: every copy that entered died there.
	const counts = events.filter((e): e is InvalidEvent => e.type === 'invalid');
	expect(counts[0]).toMatchObject({dropped: 0});
	expect(counts.at(-1)!.dropped).toBeGreaterThan(0);
	expect(counts.at(-1)!.dropped).toBe(summary.invalidDropped);
	expect(summary.invalidDropped).toBeLessThanOrEqual(into.length);
}

function expectDelivered(events: LabEvent[]): void {
	expect(events.at(-1) as SummaryEvent).toMatchObject({type: 'summary', scenario: 'nat', keepalive: true, expected: 'delivered', delivered: true, invalidDropped: 0, ok: true});
	const all = packets(events);
	for (const at of ['router-in', 'router-out', undefined]) expect(all.filter(p => p.at === at && clientData(p)).length, String(at)).toBe(1);
	expect(events.find(e => e.type === 'app' && e.side === 'server' && e.event === 'received')).toMatchObject({text: line});
	expect(events.filter((e): e is InvalidEvent => e.type === 'invalid').map(e => e.dropped)).toEqual([0]);
	// Each probe crossing the router sets the entry's timeout back up: the expiry a reading
	// after it implies (t + timeout, whole seconds rounded down) lies past the latest one
	// the readings before it allowed (t + timeout + 1).
	const probes = all.filter(p => p.at === 'router-in' && p.from === 'server' && p.kind === 'keepalive');
	expect(probes.length).toBeGreaterThanOrEqual(2);
	const readings = conntrack(events).filter(e => e.present);
	expect(readings.every(e => e.state === 'ESTABLISHED')).toBe(true);
	let refreshed = 0;
	// A reading in the probe's own millisecond may have been taken on either side of it.
	const apart = 0.005;
	for (const probe of probes) {
		const before = readings.filter(e => e.t < probe.t - apart).at(-1);
		const after = readings.find(e => e.t > probe.t + apart);
		if (!before || !after || after.t > probe.t + 1) continue;
		expect(after.t + after.timeout!, `the reading after the probe at ${probe.t} s`).toBeGreaterThan(before.t + before.timeout! + 1);
		refreshed++;
	}

	expect(refreshed).toBeGreaterThanOrEqual(1);
	expect(conntrack(events).filter(e => !e.present && e.t > readings[0]!.t)).toEqual([]);
}

for (const sandbox of ['netns', 'userns'] as const) {
	where(sandbox === 'netns' ? 'root' : 'sandbox', 'firewall').describe(`lab --scenario nat (${sandbox})`, () => {
		where('sandbox').it('loses the line without keepalive, delivers it with probes inside the router timeout, and leaves nothing', async () => {
			const run = startCli(['lab', '--json', '--scenario', 'nat', '--sandbox', sandbox, '--nat-timeout', String(natTimeout), '--idle', '2', '--intvl', '1', '--probes', '3']);
			const {code, started} = await untilEnded(run, 40_000, 'the nat run');
			expect(run.stderr()).toBe('');
			expect(code).toBe(0);
			const [lost, delivered, ...rest] = phases(parseEvents(run.lines));
			expect(rest).toEqual([]);
			expect(lost![0]).toMatchObject({type: 'lab', event: 'ready', sandbox, nat: {timeout: natTimeout, loose: 0, forward: 1}});
			expectLost(lost!);
			expectDelivered(delivered!);
			// Three namespaces per lab, gone with their processes.
			await expectNothingLeft(started);
		}, 45_000);
	});
}

where('root', 'firewall', 'tshark').it("tshark reads each lab's capture of the server's side as we do", async () => {
	const pcap = path.join(work, 'nat.pcap');
	const run = startCli(['lab', '--json', '--scenario', 'nat', '--sandbox', 'netns', '--nat-timeout', '3', '--idle', '1', '--intvl', '1', '--probes', '3', '--pcap', pcap]);
	const {code} = await run.exit;
	expect(code).toBe(0);
	for (const [i, events] of phases(parseEvents(run.lines)).entries()) {
		const ours = packets(events).filter(p => p.at === undefined);
		const fields = execFileSync('tshark', ['-r', path.join(work, `nat-${i + 1}.pcap`), '-Y', 'tcp.port == 6699', '-T', 'fields', '-E', 'separator=,', '-e', 'tcp.seq_raw', '-e', 'tcp.len', '-e', 'tcp.analysis.keep_alive'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']})
			.trim()
			.split('\n');
		expect(fields.map(line => line.split(','))).toEqual(ours.map(p => [String(p.seq), String(p.len), p.kind === 'keepalive' ? '1' : '']));
	}
}, 45_000);

where('sandbox', 'firewall').describe('lab --scenario nat leaves nothing behind', () => {
	for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
		where('sandbox').it(`after the command gets ${signal} while the router holds the connection`, async () => {
			const run = startCli(['lab', '--json', '--scenario', 'nat', '--nat-timeout', String(natTimeout), '--idle', '2', '--intvl', '1', '--probes', '3']);
			await waitUntil(() => parseEvents(run.lines).some(e => e.type === 'conntrack' && e.present), 10_000, "the router's conntrack entry");
			const started = new Set([run.child.pid!, ...descendants(run.child.pid!)]);
			// The server's (the CLI's own as root, the agent's in a user namespace), the client's and the router's namespaces.
			const home = netnsOf(process.pid);
			const namespaces = new Set([...started].map(netnsOf).filter((ns): ns is string => ns !== undefined && ns !== home));
			expect(namespaces.size).toBe(3);
			run.child.kill(signal);
			const {code, signal: killedBy} = await run.exit;
			if (signal === 'SIGKILL') expect(killedBy).toBe('SIGKILL');
			else expect(code).toBe(143);
			await expectNothingLeft(started);
		});
	}

	// The router's keeper and the client's namespace come up while the agent starts: a stop at any moment of it leaves none of them.
	where('sandbox').it('after SIGTERM at any moment of the start-up', async () => {
		for (const ms of [100, 250, 400, 550, 700]) {
			const run = startCli(['lab', '--json', '--scenario', 'nat']);
			const seen = new Set<number>();
			const until = Date.now() + ms;
			await waitUntil(() => {
				for (const pid of descendants(run.child.pid!)) seen.add(pid);
				return Date.now() >= until;
			}, ms + 1000, `${ms} ms`);
			run.child.kill('SIGTERM');
			const {started} = await untilEnded(run, 10_000, `the lab stopped at ${ms} ms`);
			const {code, signal} = await run.exit;
			// Before Node has set up its handlers the signal's default action ends it: 128 + 15 all the same to a shell.
			expect(code === 143 || signal === 'SIGTERM', `SIGTERM at ${ms} ms: exit ${code ?? signal}; stderr: ${run.stderr()}`).toBe(true);
			await expectNothingLeft(new Set([...seen, ...started]));
		}
	}, 60_000);
});
