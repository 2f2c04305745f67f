/**
 * `lab --scenario busy` for real (run `npm run build` first): the drop goes on after the
 * handshake, the server writes a line, and the kernel retransmits instead of probing.
 * Checked against the kernel's rules (net/ipv4/tcp_timer.c) and against tshark.
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, expect, it} from 'vitest';
import type {KernelEvent, LabEvent, PacketEvent, SockoptEvent, SummaryEvent} from '../../source/lab/shared/events.js';
import {earlyBound, timerSlack} from '../../source/lab/model/timeline.js';
import {parseEvents, startCli} from '../helpers/cli.js';
import {where} from '../helpers/privilege.js';

const work = mkdtempSync(path.join(tmpdir(), 'ka-busy-'));
afterAll(() => rmSync(work, {recursive: true, force: true}));

async function busy(extra: string[]) {
	const run = startCli(['lab', '--json', '--scenario', 'busy', '--sandbox', 'netns', '--idle', '2', '--intvl', '1', '--probes', '3', ...extra]);
	const {code} = await run.exit;
	return {code, events: parseEvents(run.lines), stderr: run.stderr()};
}

const packets = (events: LabEvent[]) => events.filter((e): e is PacketEvent => e.type === 'packet');
const serverKernel = (events: LabEvent[]) => events.filter((e): e is KernelEvent => e.type === 'kernel' && e.side === 'server' && e.state !== 'gone');

/** What every busy run shows, whatever the user timeout. */
function expectBusy(events: LabEvent[]): {data: PacketEvent; retransmissions: PacketEvent[]; firstRto: PacketEvent} {
	const all = packets(events);
	const server = all.filter(p => p.from === 'server');
	const data = server.find(p => p.kind === 'data')!;
	expect(data.len).toBe(Buffer.byteLength('are you there?\n'));
	expect(events.find(e => e.type === 'app' && e.side === 'server' && e.event === 'sent')).toMatchObject({bytes: data.len, text: 'are you there?\n'});
	// While data is unacknowledged, keepalive sends nothing: no probe at all, though idle (2 s) passed since the handshake's ACK.
	expect(server.filter(p => p.kind === 'keepalive')).toEqual([]);
	expect(events.at(-1)!.t - all[2]!.t).toBeGreaterThan(2);
	// Every retransmission is the same data again.
	const retransmissions = server.filter(p => p.kind === 'retransmission');
	expect(retransmissions.length).toBeGreaterThanOrEqual(3);
	for (const r of retransmissions) expect([r.seq, r.len]).toEqual([data.seq, data.len]);
	// The kernel's own count: the first RTO retransmission is the one after which tcp_info's icsk_retransmits is 1.
	const readings = serverKernel(events);
	const firstCounted = readings.find(r => (r.retransmits ?? 0) >= 1)!;
	const firstRto = retransmissions.filter(r => r.t <= firstCounted.t).at(-1)!;
	// The RTO doubles with each backoff: tcpi_rto = base × 2^tcpi_backoff, and backoff = retransmits.
	const base = readings.find(r => r.retransmits === 0 && r.timer === 'retransmit')!.rto!;
	for (const r of readings.filter(r => r.timer === 'retransmit' && r.retransmits !== undefined)) {
		expect(r.backoff).toBe(r.retransmits);
		expect(r.rto!).toBeCloseTo(Math.min(base * 2 ** r.backoff!, 120), 2);
	}

	// Exponential backoff on the wire: after the first RTO retransmission the timer is base × 2^i,
	// each late by at most 1/8 of it plus a jiffy.
	const rto = retransmissions.filter(r => r.t >= firstRto.t);
	for (let i = 1; i < rto.length; i++) {
		const expected = base * 2 ** i;
		const gap = rto[i]!.t - rto[i - 1]!.t;
		if (rto[i]!.t >= (events.find(e => e.type === 'socket' && e.event === 'error')?.t ?? Number.POSITIVE_INFINITY) - 1) break; // a user timeout clamps the last one
		expect(gap, `gap ${i}`).toBeGreaterThanOrEqual(expected - earlyBound);
		expect(gap, `gap ${i}`).toBeLessThanOrEqual(expected + timerSlack(expected));
	}

	// A retransmission timeout sends no RST.
	expect(all.filter(p => p.kind === 'rst')).toEqual([]);
	return {data, retransmissions, firstRto};
}

where('root', 'firewall').describe('lab --scenario busy, as root', () => {
	where('tshark').it('retransmits with backoff and sends no probe; tshark calls the same frames retransmissions', async () => {
		const pcap = path.join(work, 'busy.pcap');
		const {code, events, stderr} = await busy(['--pcap', pcap]);
		expect(stderr).toBe('');
		expect(code).toBe(0);
		expectBusy(events);
		const readings = serverKernel(events);
		expect(Math.max(...readings.map(r => r.retransmits ?? 0))).toBeGreaterThanOrEqual(3);
		// Without a user timeout the server's socket is still there: nothing failed.
		expect(events.filter(e => e.type === 'socket' && e.event === 'error')).toEqual([]);
		const summary = events.at(-1) as SummaryEvent;
		expect(summary).toMatchObject({type: 'summary', scenario: 'busy', ok: true, probesSent: 0, probesWhileUnacked: 0, serverError: null});
		// The model's total for tcp_retries2 = 15 (read back from the namespace): 924.6 s after the first RTO retransmission.
		expect(events.find(e => e.type === 'sysctl')).toMatchObject({tcp_retries2: 15});
		expect(summary.expectedErrorAt! - summary.firstRtoAt!).toBeCloseTo(924.6, 2);

		// Wireshark's analysis of our pcap: the frames it calls retransmissions (spurious ones too:
		// the capture sees the client's ACKs before the rule drops them) are exactly ours.
		const fields = execFileSync('tshark', ['-r', pcap, '-Y', 'tcp.port == 6699', '-T', 'fields', '-E', 'separator=,', '-e', 'tcp.seq_raw', '-e', 'tcp.analysis.retransmission', '-e', 'tcp.analysis.keep_alive'], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		})
			.trim()
			.split('\n');
		const ours = packets(events);
		expect(fields).toHaveLength(ours.length);
		fields.forEach((line, i) => {
			const [seq, retransmission, keepalive] = line.split(',');
			expect(Number(seq)).toBe(ours[i]!.seq);
			expect(retransmission === '1', `frame ${i + 1}`).toBe(ours[i]!.kind === 'retransmission');
			expect(keepalive === '1').toBe(ours[i]!.kind === 'keepalive');
		});
	});

	it('with --user-timeout: ETIMEDOUT the user timeout after the first RTO retransmission, within the kernel slack', async () => {
		const userTimeout = 3000;
		const {code, events} = await busy(['--user-timeout', String(userTimeout)]);
		expect(code).toBe(0);
		expect(events.find((e): e is SockoptEvent => e.type === 'sockopt')).toMatchObject({side: 'server', userTimeout});
		const {firstRto} = expectBusy(events);
		const error = events.find(e => e.type === 'socket' && e.side === 'server' && e.event === 'error');
		expect(error).toMatchObject({code: 'ETIMEDOUT'});
		// tcp_clamp_rto_to_user_timeout: the timer fires when the user timeout has passed since
		// tp->retrans_stamp (that first RTO retransmission), late by at most 1/8 of the timer, which is shorter than the user timeout.
		const due = firstRto.t + userTimeout / 1000;
		expect(error!.t).toBeGreaterThanOrEqual(due - earlyBound);
		expect(error!.t).toBeLessThanOrEqual(due + timerSlack(userTimeout / 1000));
		const summary = events.at(-1) as SummaryEvent;
		expect(summary).toMatchObject({scenario: 'busy', ok: true, userTimeout, serverError: 'ETIMEDOUT', clientError: null, firstRtoAt: firstRto.t});
	});
});
