import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {parseProcNetTcp} from '../../source/lab/agent/proc-tcp.js';
import {nextFromReading} from '../../source/lab/model/timeline.js';
import {
	parseSockDiag,
	type SockDiagReading,
	sockDiagRequest,
	toKernelReading,
	walkSockDiag,
} from '../../source/lab/agent/sock-diag-codec.js';

type Scenario = {note: string; serverPort: number; ss?: string; proc?: string; hex: string};

/**
 * Real NETLINK_SOCK_DIAG replies captured in a private network namespace (see the
 * fixture's `about` and each scenario's `note`), with `ss -tanoi` and /proc/net/tcp read
 * right after each.
 */
const fixture = JSON.parse(readFileSync(new URL('../fixtures/sock-diag/dumps.json', import.meta.url), 'utf8')) as {
	scenarios: Record<'armed' | 'answered' | 'probing' | 'enoent', Scenario>;
};
const {armed, answered, probing, enoent} = fixture.scenarios;
const bytesOf = (scenario: Scenario) => new Uint8Array(Buffer.from(scenario.hex, 'hex'));
const side = (readings: SockDiagReading[], name: 'server' | 'client') => readings.find((reading) => reading.side === name);
/** The keepalive values the fixture's server ran with (idle 2 s). */
const params = {idle: 2, intvl: 1, probes: 3};

describe('walkSockDiag', () => {
	it('reads every socket of a dump of both families, up to NLMSG_DONE', () => {
		const walk = walkSockDiag(bytesOf(armed));
		expect(walk.done).toBe(true);
		expect(walk.errno).toBeUndefined();
		// IPv4: two LISTEN, the pair, a TIME_WAIT; IPv6: a LISTEN and a pair.
		expect(walk.sockets.map((socket) => [socket.family, socket.stateCode, socket.localPort, socket.remotePort])).toEqual([
			[2, 0x0a, 40000, 0],
			[2, 0x0a, 40001, 0],
			[2, 0x01, 58156, 40000],
			[2, 0x01, 40000, 58156],
			[2, 0x06, 44470, 40001],
			[10, 0x0a, 40002, 0],
			[10, 0x01, 40002, 35160],
			[10, 0x01, 35160, 40002],
		]);
	});

	it('keeps each socket’s sockid: ports (big-endian), addresses, interface, cookie', () => {
		const server = walkSockDiag(bytesOf(armed)).sockets[3]!;
		const id = Buffer.from(server.sockid);
		expect(id).toHaveLength(48);
		expect(id.readUInt16BE(0)).toBe(40000);
		expect(id.readUInt16BE(2)).toBe(58156);
		expect(id.subarray(4, 8).toString('hex')).toBe('7f000001'); // idiag_src[0], network order
		expect(id.subarray(20, 24).toString('hex')).toBe('7f000001'); // idiag_dst[0]
		expect(id.readUInt32LE(36)).toBe(0); // idiag_if: not bound to a device
		expect(id.readBigUInt64LE(40)).toBeGreaterThan(0n); // the cookie
		expect(server.inode).toBe(497891);
	});

	it('reads tcp_info from the INET_DIAG_INFO attribute; TIME_WAIT has none', () => {
		const sockets = walkSockDiag(bytesOf(answered)).sockets;
		expect(sockets[3]).toMatchObject({localPort: 40000, tcpInfo: {state: 1, probes: 0, lastDataRecvMs: 2536, lastAckRecvMs: 504}});
		expect(sockets[4]).toMatchObject({stateCode: 0x06, timerCode: 3});
		expect(sockets[4]!.tcpInfo).toBeUndefined();
	});

	it('reports an NLMSG_ERROR as its errno', () => {
		const walk = walkSockDiag(bytesOf(enoent));
		expect(walk).toEqual({sockets: [], done: true, errno: 2});
	});

	it('takes the datagrams of a dump one by one or concatenated alike, and ignores a cut-off tail', () => {
		const bytes = bytesOf(probing);
		const whole = walkSockDiag(bytes);
		// Split at each message boundary, as the kernel may spread a dump over datagrams.
		const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		const pieces: Uint8Array[] = [];
		for (let offset = 0; offset < bytes.length; ) {
			const length = view.getUint32(offset, true);
			pieces.push(bytes.subarray(offset, offset + length));
			offset += (length + 3) & ~3;
		}

		expect(pieces.length).toBe(whole.sockets.length + 1); // + NLMSG_DONE
		expect(pieces.flatMap((piece) => walkSockDiag(piece).sockets)).toEqual(whole.sockets);
		expect(pieces.map((piece) => walkSockDiag(piece).done)).toEqual([...whole.sockets.map(() => false), true]);

		const cut = walkSockDiag(bytes.subarray(0, bytes.length - 30));
		expect(cut.done).toBe(false);
		expect(cut.sockets).toEqual(whole.sockets.slice(0, -1));
		expect(walkSockDiag(new Uint8Array(0))).toEqual({sockets: [], done: false});
	});
});

describe('parseSockDiag', () => {
	it('finds the lab’s two sockets and skips LISTEN and other connections', () => {
		expect(parseSockDiag(bytesOf(armed), armed.serverPort)).toEqual([
			{
				side: 'client',
				state: 'ESTABLISHED',
				timer: 'none',
				dueInMs: 0,
				probesOut: 0,
				sinceRecvMs: 1204,
				tcpInfo: {lastDataRecvMs: 1204, lastAckRecvMs: 1204, probes: 0, retransmits: 0, backoff: 0, rtoUs: 204_000, unacked: 0, totalRetrans: 0},
				localPort: 58156,
				remotePort: 40000,
				inode: 497890,
			},
			{
				side: 'server',
				state: 'ESTABLISHED',
				timer: 'keepalive',
				dueInMs: 792,
				probesOut: 0,
				sinceRecvMs: 1208,
				tcpInfo: {lastDataRecvMs: 1208, lastAckRecvMs: 1208, probes: 0, retransmits: 0, backoff: 0, rtoUs: 200_000, unacked: 0, totalRetrans: 0},
				localPort: 40000,
				remotePort: 58156,
				inode: 497891,
			},
		]);
	});

	it('after an answered probe: the ACK moved last_ack_recv only, and sinceRecvMs follows it', () => {
		const server = side(parseSockDiag(bytesOf(answered), answered.serverPort), 'server')!;
		// ss: timer:(keepalive,496ms,0) … lastrcv:2536 lastack:504
		expect(server).toMatchObject({timer: 'keepalive', dueInMs: 496, probesOut: 0, sinceRecvMs: 504});
		expect(server.tcpInfo).toEqual({lastDataRecvMs: 2536, lastAckRecvMs: 504, probes: 0, retransmits: 0, backoff: 0, rtoUs: 200_000, unacked: 0, totalRetrans: 0});
		// The timer fires in 496 ms, finds the peer heard from 1 s ago, and re-arms for the
		// rest of idle: the next probe is 1496 ms away, not 496.
		expect(nextFromReading(params, toKernelReading(server))?.in).toBeCloseTo(1.496, 9);
	});

	it('while probes go unanswered: probesOut from tcp_info equals idiag_retrans, and the next probe is the timer’s', () => {
		const server = side(parseSockDiag(bytesOf(probing), probing.serverPort), 'server')!;
		// ss: timer:(keepalive,908ms,2) … lastack:3132 (read a few ms after the dump)
		expect(server).toMatchObject({timer: 'keepalive', dueInMs: 912, probesOut: 2, sinceRecvMs: 3128});
		expect(walkSockDiag(bytesOf(probing)).sockets[3]).toMatchObject({retrans: 2, tcpInfo: {probes: 2}});
		expect(nextFromReading(params, toKernelReading(server))?.in).toBeCloseTo(0.912, 9);
		// The client, whose packets are dropped, still receives the probes but they do not
		// count as heard from: a probe is out of window and is answered, not processed.
		expect(side(parseSockDiag(bytesOf(probing), probing.serverPort), 'client')).toMatchObject({timer: 'none', sinceRecvMs: 5160});
	});

	it('reads a TIME_WAIT socket, which has no tcp_info', () => {
		expect(parseSockDiag(bytesOf(armed), 40001)).toEqual([
			{side: 'client', state: 'TIME_WAIT', timer: 'timewait', dueInMs: 58648, probesOut: 0, sinceRecvMs: undefined, localPort: 44470, remotePort: 40001, inode: 0},
		]);
	});

	it('reads IPv6 sockets of the same dump', () => {
		const readings = parseSockDiag(bytesOf(armed), 40002);
		expect(readings.map((reading) => [reading.side, reading.localPort, reading.remotePort, reading.state])).toEqual([
			['server', 40002, 35160, 'ESTABLISHED'],
			['client', 35160, 40002, 'ESTABLISHED'],
		]);
	});

	it('throws on an error reply', () => {
		expect(() => parseSockDiag(bytesOf(enoent), 40000)).toThrow('sock_diag request failed: errno 2 (ENOENT)');
	});

	it('agrees with /proc/net/tcp read just after', () => {
		for (const scenario of [armed, answered, probing]) {
			const diag = parseSockDiag(bytesOf(scenario), scenario.serverPort);
			const proc = parseProcNetTcp(scenario.proc!, scenario.serverPort);
			expect(diag.map((reading) => reading.side).sort()).toEqual(proc.map((reading) => reading.side).sort());
			for (const reading of diag) {
				const other = proc.find((row) => row.side === reading.side)!;
				expect({state: reading.state, timer: reading.timer, probesOut: reading.probesOut}).toEqual({
					state: other.state,
					timer: other.timer,
					probesOut: other.probesOut,
				});
				// /proc counts 10 ms ticks, rounded down, and looked ~10–30 ms later (after ss).
				const procMs = Math.round(other.dueIn * 1000);
				expect(procMs).toBeLessThanOrEqual(reading.dueInMs);
				expect(procMs).toBeGreaterThan(reading.dueInMs - 60);
			}
		}
	});

	it('converts to the KernelReading shape of proc-tcp.ts', () => {
		const server = side(parseSockDiag(bytesOf(probing), probing.serverPort), 'server')!;
		// An idle socket: nothing retransmitted, nothing unacknowledged; the RTO at its floor, TCP_RTO_MIN (200 ms).
		expect(toKernelReading(server)).toEqual({
			side: 'server',
			state: 'ESTABLISHED',
			timer: 'keepalive',
			dueIn: 0.912,
			probesOut: 2,
			sinceRecv: 3.128,
			retransmits: 0,
			rto: 0.2,
			backoff: 0,
			unacked: 0,
			totalRetrans: 0,
		});
	});
});

describe('sockDiagRequest', () => {
	it('asks for a dump of every TCP socket of a family, with tcp_info', () => {
		const request = sockDiagRequest(2, 7);
		expect(request).toHaveLength(72);
		// nlmsghdr {len 72, type SOCK_DIAG_BY_FAMILY, flags REQUEST|DUMP, seq 7, pid 0}
		expect(request.subarray(0, 16).toString('hex')).toBe('48000000' + '1400' + '0103' + '07000000' + '00000000');
		// inet_diag_req_v2 {AF_INET, IPPROTO_TCP, ext 1 << (INET_DIAG_INFO - 1), pad, states all}, sockid zero
		expect(request.subarray(16, 24).toString('hex')).toBe('02060200' + 'ffffffff');
		expect(request.subarray(24).every((byte) => byte === 0)).toBe(true);
	});

	it('asks for one socket by the sockid of an earlier reply', () => {
		const server = walkSockDiag(bytesOf(armed)).sockets[3]!;
		const request = sockDiagRequest(server.family, 8, server.sockid);
		expect(request.readUInt16LE(6)).toBe(0x01); // NLM_F_REQUEST only: an exact lookup
		expect(request.subarray(24)).toEqual(Buffer.from(server.sockid));
	});
});
