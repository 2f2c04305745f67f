import {describe, expect, it} from 'vitest';
import {classify, initialConversation, type Conversation} from '../../source/lab/agent/decode/classify.js';
import type {TcpSegment} from '../../source/lab/agent/decode/frame.js';
import type {TcpFlag} from '../../source/lab/shared/events.js';

const serverPort = 6699;
const clientPort = 40_000;

function segment(from: 'c' | 's', seq: number, ack: number, flags: TcpFlag[], len = 0, window = 512): TcpSegment {
	const [srcPort, dstPort] = from === 'c' ? [clientPort, serverPort] : [serverPort, clientPort];
	return {srcPort, dstPort, seq: seq >>> 0, ack: ack >>> 0, flags, payloadLength: len, window};
}

const c = (seq: number, ack: number, flags: TcpFlag[], len?: number, window?: number) =>
	segment('c', seq, ack, flags, len, window);
const s = (seq: number, ack: number, flags: TcpFlag[], len?: number, window?: number) =>
	segment('s', seq, ack, flags, len, window);

function run(segments: TcpSegment[], conv: Conversation = initialConversation(serverPort)) {
	return segments.map((seg) => {
		const result = classify(conv, seg);
		conv = result.conv;
		return result.packet;
	});
}

/** [kind, relSeq, relAck] of each packet. */
const summary = (segments: TcpSegment[]) => run(segments).map((p) => [p.kind, p.relSeq, p.relAck]);

function handshake(clientIsn: number, serverIsn: number): TcpSegment[] {
	return [
		c(clientIsn, 0, ['SYN']),
		s(serverIsn, clientIsn + 1, ['SYN', 'ACK']),
		c(clientIsn + 1, serverIsn + 1, ['ACK']),
	];
}

describe('classify', () => {
	it('fills every PacketEvent field but t', () => {
		const [packet] = run([c(1000, 0, ['SYN'])]);
		expect(packet).toEqual({
			type: 'packet',
			from: 'client',
			flags: ['SYN'],
			seq: 1000,
			ack: 0,
			relSeq: 0,
			relAck: 0,
			len: 0,
			kind: 'syn',
		});
		expect(run([s(5, 1001, ['SYN', 'ACK'])])[0]?.from).toBe('server');
	});

	it('follows a whole keepalive run with sequence numbers that wrap at 2^32', () => {
		const clientIsn = 0xff_ff_ff_fe;
		const serverIsn = 0xff_ff_ff_ff;
		const packets = run([
			...handshake(clientIsn, serverIsn),
			c(0xff_ff_ff_ff, 0, ['PSH', 'ACK'], 6), // client's data wraps: next seq is 5
			s(0, 5, ['ACK']),
			s(0, 5, ['PSH', 'ACK'], 6),
			c(5, 6, ['ACK']),
			s(5, 5, ['ACK']), // probe: server's next seq (6) minus one
			c(5, 6, ['ACK']),
			s(5, 5, ['ACK']),
			s(5, 5, ['ACK']), // the answer was dropped before the capture saw it: a second probe
			s(6, 5, ['RST', 'ACK']),
		]);
		expect(packets.map((p) => [p.kind, p.relSeq, p.relAck, p.seq, p.ack])).toEqual([
			['syn', 0, 0, 0xff_ff_ff_fe, 0],
			['syn-ack', 0, 1, 0xff_ff_ff_ff, 0xff_ff_ff_ff],
			['ack', 1, 1, 0xff_ff_ff_ff, 0],
			['data', 1, 1, 0xff_ff_ff_ff, 0],
			['ack', 1, 7, 0, 5],
			['data', 1, 7, 0, 5],
			['ack', 7, 7, 5, 6],
			['keepalive', 6, 7, 5, 5],
			['keepalive-ack', 7, 7, 5, 6],
			['keepalive', 6, 7, 5, 5],
			['keepalive', 6, 7, 5, 5],
			['rst', 7, 7, 6, 5],
		]);
	});

	it('spots a probe whose seq is the ISN itself when the ISN is 2^32 − 1', () => {
		expect(summary([...handshake(10, 0xff_ff_ff_ff), s(0xff_ff_ff_ff, 11, ['ACK']), c(11, 0, ['ACK'])])).toEqual([
			['syn', 0, 0],
			['syn-ack', 0, 1],
			['ack', 1, 1],
			['keepalive', 0, 1],
			['keepalive-ack', 1, 1],
		]);
	});

	it('calls a 1-byte "garbage" probe a keepalive, and its byte does not advance the next seq', () => {
		expect(
			summary([
				...handshake(1000, 5000),
				c(1001, 5001, ['PSH', 'ACK'], 10),
				s(5001, 1011, ['ACK']),
				c(1010, 5001, ['ACK'], 1), // garbage probe: the last byte sent again
				s(5001, 1011, ['ACK']),
				c(1010, 5001, ['ACK'], 1),
				c(1011, 5001, ['PSH', 'ACK'], 4), // new data starts where it did before the probes
				s(5001, 1015, ['ACK']),
			]),
		).toEqual([
			['syn', 0, 0],
			['syn-ack', 0, 1],
			['ack', 1, 1],
			['data', 1, 1],
			['ack', 1, 11],
			['keepalive', 10, 1],
			['keepalive-ack', 1, 11],
			['keepalive', 10, 1],
			['data', 11, 1],
			['ack', 1, 15],
		]);
		expect(run([...handshake(1000, 5000), c(1000, 5001, ['ACK'], 1)])[3]?.len).toBe(1);
	});

	it('calls 2+ bytes one before the next seq a retransmission (they start inside what was sent), not a keepalive', () => {
		expect(summary([...handshake(1000, 5000), c(1001, 5001, ['PSH', 'ACK'], 10), c(1010, 5001, ['PSH', 'ACK'], 2)]).at(-1)).toEqual(
			['retransmission', 10, 1],
		);
	});

	it('calls any RST rst, and a RST, SYN or FIN at next seq − 1 is never a keepalive', () => {
		const base = handshake(1000, 5000);
		expect(summary([...base, s(5000, 1001, ['RST', 'ACK'])]).at(-1)).toEqual(['rst', 0, 1]);
		expect(summary([...base, s(5001, 0, ['RST'])]).at(-1)).toEqual(['rst', 1, 0]);
		// A FIN before the next seq covers a sequence number already sent: Wireshark's retransmission.
		expect(summary([...base, c(1000, 5001, ['FIN', 'ACK'])]).at(-1)).toEqual(['retransmission', 0, 1]);
		expect(summary([...base, c(1000, 0, ['SYN'])]).at(-1)).toEqual(['syn', 0, 0]);
		expect(summary([...base, s(5001, 1001, ['FIN', 'RST', 'ACK'])]).at(-1)).toEqual(['rst', 1, 1]);
	});

	it('counts a FIN as one sequence number', () => {
		expect(
			summary([
				...handshake(1000, 5000),
				c(1001, 5001, ['FIN', 'ACK']),
				s(5001, 1002, ['FIN', 'ACK']),
				c(1002, 5002, ['ACK']),
				s(5002, 1002, ['ACK']), // after its FIN, the server's next seq is 5002
			]).slice(3),
		).toEqual([
			['fin', 1, 1],
			['fin', 1, 2],
			['ack', 2, 2],
			['ack', 2, 2],
		]);
	});

	it('does not move the next seq back for a retransmission', () => {
		expect(
			summary([
				...handshake(1000, 5000),
				c(1001, 5001, ['PSH', 'ACK'], 10),
				c(1001, 5001, ['PSH', 'ACK'], 10), // retransmitted
				c(1010, 5001, ['ACK']),
			]).slice(3),
		).toEqual([
			['data', 1, 1],
			['retransmission', 1, 1],
			['keepalive', 10, 1],
		]);
	});

	describe('keepalive-ack, as Wireshark decides it', () => {
		const probed = [...handshake(1000, 5000), s(5000, 1001, ['ACK'])];

		it('needs the same seq, ack and window as that side sent last', () => {
			expect(summary([...probed, c(1001, 5001, ['ACK'])]).at(-1)?.[0]).toBe('keepalive-ack');
			expect(summary([...probed, c(1001, 5001, ['ACK'], 0, 1024)]).at(-1)?.[0]).toBe('ack'); // a window update
			expect(summary([...probed, c(1001, 5001, ['ACK'], 0, 0)]).at(-1)?.[0]).toBe('ack'); // zero window
			expect(summary([...probed, c(1001, 5002, ['ACK'])]).at(-1)?.[0]).toBe('ack');
			expect(summary([...probed, c(1001, 5001, ['PSH', 'ACK'], 3)]).at(-1)?.[0]).toBe('data');
			expect(summary([...probed, c(1001, 5001, ['FIN', 'ACK'])]).at(-1)?.[0]).toBe('fin');
		});

		it('needs a keepalive as the last segment from the other side', () => {
			const base = handshake(1000, 5000);
			expect(summary([...base, c(1001, 5001, ['ACK'])]).at(-1)?.[0]).toBe('ack');
			expect(summary([...probed, s(5001, 1001, ['ACK']), c(1001, 5001, ['ACK'])]).at(-1)?.[0]).toBe('ack');
		});

		it('looks at the other direction only, so a repeated answer is a keepalive-ack too', () => {
			expect(summary([...probed, c(1001, 5001, ['ACK']), c(1001, 5001, ['ACK'])]).slice(-2)).toEqual([
				['keepalive-ack', 1, 1],
				['keepalive-ack', 1, 1],
			]);
		});
	});

	it('starts relative numbers at 1 when the capture missed the handshake, like Wireshark', () => {
		expect(summary([c(500, 900, ['ACK']), s(900, 500, ['ACK']), s(899, 500, ['ACK']), c(500, 900, ['ACK'])])).toEqual([
			['ack', 1, 1],
			['ack', 1, 1],
			['keepalive', 0, 1],
			['keepalive-ack', 1, 1],
		]);
	});

	it('gives relAck 0 without the ACK flag, whatever the ack field holds', () => {
		expect(summary([c(1000, 1234, ['SYN'])])).toEqual([['syn', 0, 0]]);
	});

	it('never changes the state it is given (every state is frozen here)', () => {
		const freeze = <T>(value: T): T => {
			if (value && typeof value === 'object') {
				for (const inner of Object.values(value)) freeze(inner);
				Object.freeze(value);
			}

			return value;
		};

		let conv = freeze(initialConversation(serverPort));
		for (const seg of [...handshake(1, 2), s(2, 2, ['ACK']), c(2, 3, ['ACK']), s(3, 2, ['RST'])]) {
			const snapshot = JSON.stringify(conv);
			const next = freeze(classify(conv, seg).conv);
			expect(JSON.stringify(conv)).toBe(snapshot);
			expect(next).not.toBe(conv);
			conv = next;
		}

		expect(initialConversation(serverPort).server.nextSeq).toBeNull();
	});
});
