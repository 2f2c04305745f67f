import {describe, expect, it} from 'vitest';
import {classify, initialConversation, type Conversation} from '../../source/lab/agent/decode/classify.js';
import type {TcpSegment} from '../../source/lab/agent/decode/frame.js';
import type {LabEvent, PacketEvent, TcpFlag} from '../../source/lab/shared/events.js';
import {foldRunEvents} from '../../source/lab/model/run-state.js';
import {giveUpAfter, retransmissionGiveUp} from '../../source/lab/model/retransmission.js';

const serverPort = 6699;

function segment(from: 'c' | 's', seq: number, ack: number, flags: TcpFlag[], len = 0): TcpSegment {
	const [srcPort, dstPort] = from === 'c' ? [40_000, serverPort] : [serverPort, 40_000];
	return {srcPort, dstPort, seq: seq >>> 0, ack: ack >>> 0, flags, payloadLength: len, window: 512};
}

function kinds(segments: TcpSegment[]): string[] {
	let conv: Conversation = initialConversation(serverPort);
	return segments.map(seg => {
		const result = classify(conv, seg);
		conv = result.conv;
		return result.packet.kind;
	});
}

const handshake = [segment('c', 100, 0, ['SYN']), segment('s', 500, 101, ['SYN', 'ACK']), segment('c', 101, 501, ['ACK'])];

describe('classify: retransmissions, as Wireshark flags them', () => {
	it('marks data sent again at a seq already sent, acknowledged on the wire or not', () => {
		const data = segment('s', 501, 101, ['PSH', 'ACK'], 15);
		expect(kinds([...handshake, data, segment('c', 101, 516, ['ACK']), data, data])).toEqual(['syn', 'syn-ack', 'ack', 'data', 'ack', 'retransmission', 'retransmission']);
	});

	it('marks a segment that starts before the next expected seq, even when it reaches past it', () => {
		expect(kinds([...handshake, segment('s', 501, 101, ['ACK'], 10), segment('s', 506, 101, ['ACK'], 10)]).at(-1)).toBe('retransmission');
	});

	it('marks a FIN sent again, but never a keepalive (seq N − 1, at most one byte) or new data', () => {
		const fin = segment('s', 501, 101, ['FIN', 'ACK']);
		expect(kinds([...handshake, fin, fin]).slice(3)).toEqual(['fin', 'retransmission']);
		const keepalive = segment('s', 500, 101, ['ACK'], 1);
		expect(kinds([...handshake, keepalive, segment('s', 501, 101, ['ACK'], 5), segment('s', 506, 101, ['ACK'], 5)]).slice(3)).toEqual(['keepalive', 'data', 'data']);
	});

	it('leaves a SYN sent again a SYN (the SYN test comes first, as the handshake kinds do)', () => {
		expect(kinds([segment('c', 100, 0, ['SYN']), segment('c', 100, 0, ['SYN'])])).toEqual(['syn', 'syn']);
	});
});

describe('the kernel giving up on unacknowledged data', () => {
	it('follows tcp_model_timeout: doubling from 200 ms, then 120 s steps', () => {
		expect(giveUpAfter(3)).toBeCloseTo(3, 9); // 0.2 × (2⁴ − 1)
		expect(giveUpAfter(9)).toBeCloseTo(204.6, 9);
		// The default tcp_retries2 = 15: about 15 minutes.
		expect(giveUpAfter(15)).toBeCloseTo(924.6, 9);
	});

	it('with a user timeout: that long after the first RTO retransmission, late by at most the timer rounding', () => {
		const rule = retransmissionGiveUp(0.558, 3000, 15);
		expect(rule.at).toBeCloseTo(3.558, 9);
		expect(rule.late).toBeCloseTo(3 / 8 + 0.06, 9);
		expect(retransmissionGiveUp(0.558, undefined, 15)).toMatchObject({at: 0.558 + 924.6, late: Number.POSITIVE_INFINITY});
	});
});

const packet = (t: number, from: 'server' | 'client', kind: PacketEvent['kind'], relSeq: number, relAck: number, len = 0, flags: PacketEvent['flags'] = ['ACK']): PacketEvent => ({
	t,
	type: 'packet',
	from,
	kind,
	flags,
	seq: 0,
	ack: 0,
	relSeq,
	relAck,
	len,
});
const opening: LabEvent[] = [packet(0, 'client', 'syn', 0, 0, 0, ['SYN']), packet(0, 'server', 'syn-ack', 0, 1, 0, ['SYN', 'ACK']), packet(0, 'client', 'ack', 1, 1)];
const kernel = (t: number, retransmits: number): LabEvent => ({t, type: 'kernel', side: 'server', state: 'ESTABLISHED', timer: 'retransmit', dueIn: 0.2, probesOut: 0, retransmits});

describe('run state: the server data in flight', () => {
	it('counts what the server sent and heard acknowledged; the drop makes the ACKs unheard', () => {
		const run = foldRunEvents([
			...opening,
			{t: 0.1, type: 'firewall', action: 'drop', command: 'drop', dropped: 0},
			packet(0.14, 'server', 'data', 1, 1, 15),
			packet(0.14, 'client', 'ack', 1, 16),
			packet(0.35, 'server', 'retransmission', 1, 1, 15),
			kernel(0.35, 0), // a tail loss probe: the kernel's count stays
			packet(0.56, 'server', 'retransmission', 1, 1, 15),
			kernel(0.56, 1),
			packet(2.1, 'server', 'keepalive', 0, 1),
			kernel(0.99, 2),
		]);
		expect(run.inFlight).toMatchObject({sent: 16, acked: 1, firstDataAt: 0.14, allAckedAt: null, retransmissions: 2, retransmissionTimes: [0.35, 0.56], firstRtoAt: 0.56, probesWhileUnacked: 1});
		expect(run.retransmitsMax.server).toBe(2);
	});

	it('notes when all of it was acknowledged, and keepalive probes after that are not "while unacknowledged"', () => {
		const run = foldRunEvents([...opening, packet(0.1, 'server', 'data', 1, 1, 12), packet(0.1, 'client', 'ack', 1, 13), packet(2.1, 'server', 'keepalive', 12, 1)]);
		expect(run.inFlight).toMatchObject({sent: 13, acked: 13, allAckedAt: 0.1, probesWhileUnacked: 0, retransmissions: 0});
	});
});

describe('run state: a frozen client and what the applications did', () => {
	it('counts the probes its kernel answered while it was stopped, and keeps reads and writes in order', () => {
		const run = foldRunEvents([
			...opening,
			{t: 0.08, type: 'peer', side: 'client', event: 'frozen', pid: 42},
			{t: 0.12, type: 'app', side: 'server', event: 'sent', bytes: 12, text: 'GET /status\n'},
			packet(0.12, 'server', 'data', 1, 1, 12),
			packet(0.12, 'client', 'ack', 1, 13),
			packet(2.12, 'server', 'keepalive', 12, 1),
			packet(2.12, 'client', 'keepalive-ack', 1, 13),
			{t: 2.2, type: 'peer', side: 'client', event: 'resumed', pid: 42},
			{t: 2.2, type: 'app', side: 'client', event: 'received', bytes: 12, text: 'GET /status\n'},
			packet(4.2, 'server', 'keepalive', 12, 1),
			packet(4.2, 'client', 'keepalive-ack', 1, 13),
			{t: 4.3, type: 'app', side: 'server', event: 'error', bytes: 0, code: 'EPIPE'},
		]);
		expect(run.client).toEqual({frozen: false, frozenAt: 0.08, resumedAt: 2.2, answeredWhileFrozen: 1});
		expect(run.inFlight.allAckedAt).toBe(0.12);
		expect(run.app.client.received.map(e => e.t)).toEqual([2.2]);
		expect(run.app.server.sent.map(e => e.text)).toEqual(['GET /status\n']);
		expect(run.app.server.errors).toEqual(['EPIPE']);
	});
});
