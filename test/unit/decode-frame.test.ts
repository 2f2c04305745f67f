import {describe, expect, it} from 'vitest';
import {decodeFrame} from '../../source/lab/agent/decode/frame.js';
import {tcpFrame, type FrameSpec} from '../helpers/frames.js';

const syn: FrameSpec = {srcPort: 52_642, dstPort: 6699, seq: 607_246_474, flags: ['SYN'], window: 65_495};

describe('decodeFrame', () => {
	it('reads ports, seq, ack, flags, window and payload length', () => {
		expect(decodeFrame(tcpFrame(syn))).toEqual({
			srcPort: 52_642,
			dstPort: 6699,
			seq: 607_246_474,
			ack: 0,
			flags: ['SYN'],
			payloadLength: 0,
			window: 65_495,
		});
	});

	it('reads seq and ack as unsigned 32-bit numbers', () => {
		const segment = decodeFrame(tcpFrame({...syn, seq: 0xff_ff_ff_ff, ack: 0x80_00_00_00, flags: ['ACK']}));
		expect(segment?.seq).toBe(4_294_967_295);
		expect(segment?.ack).toBe(2_147_483_648);
	});

	it('lists flags in a stable order, as Wireshark does ([SYN, ACK], [PSH, ACK], [FIN, ACK])', () => {
		expect(decodeFrame(tcpFrame({...syn, flags: ['ACK', 'SYN']}))?.flags).toEqual(['SYN', 'ACK']);
		expect(decodeFrame(tcpFrame({...syn, flags: ['ACK', 'PSH']}))?.flags).toEqual(['PSH', 'ACK']);
		expect(decodeFrame(tcpFrame({...syn, flags: ['ACK', 'FIN']}))?.flags).toEqual(['FIN', 'ACK']);
		expect(decodeFrame(tcpFrame({...syn, flags: ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN']}))?.flags).toEqual(
			['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'],
		);
		expect(decodeFrame(tcpFrame({...syn, flags: []}))?.flags).toEqual([]);
	});

	it('honours the IP header length (options) and the TCP data offset (options)', () => {
		const frame = tcpFrame({...syn, flags: ['PSH', 'ACK'], ipOptions: 8, tcpOptions: 12, payload: 6});
		expect(decodeFrame(frame)).toMatchObject({srcPort: 52_642, dstPort: 6699, seq: 607_246_474, payloadLength: 6});
	});

	it('takes the payload length from the IP total length, not from a padded frame', () => {
		expect(decodeFrame(tcpFrame({...syn, flags: ['ACK'], trailer: 6}))?.payloadLength).toBe(0);
		expect(decodeFrame(tcpFrame({...syn, flags: ['PSH', 'ACK'], payload: 1, trailer: 5}))?.payloadLength).toBe(1);
	});

	it('reads a frame that sits at an offset inside a larger buffer', () => {
		const frame = tcpFrame({...syn, flags: ['PSH', 'ACK'], payload: 6});
		const big = Buffer.alloc(frame.byteLength + 100, 0xee);
		big.set(frame, 37);
		expect(decodeFrame(big.subarray(37, 37 + frame.byteLength))).toEqual(decodeFrame(frame));
	});

	it('returns null for frames that are not IPv4/TCP', () => {
		expect(decodeFrame(tcpFrame({...syn, ethertype: 0x0806}))).toBeNull(); // ARP
		expect(decodeFrame(tcpFrame({...syn, ethertype: 0x86dd}))).toBeNull(); // IPv6
		expect(decodeFrame(tcpFrame({...syn, ipVersion: 6}))).toBeNull();
		expect(decodeFrame(tcpFrame({...syn, protocol: 17}))).toBeNull(); // UDP
		expect(decodeFrame(tcpFrame({...syn, protocol: 1}))).toBeNull(); // ICMP
	});

	it('returns null for IP fragments, which do not hold a whole segment', () => {
		expect(decodeFrame(tcpFrame({...syn, fragment: 0x2000}))).toBeNull(); // more fragments
		expect(decodeFrame(tcpFrame({...syn, fragment: 0x0010}))).toBeNull(); // offset 128
	});

	it('returns null for every truncation of a frame', () => {
		const frame = tcpFrame({...syn, flags: ['PSH', 'ACK'], ipOptions: 4, tcpOptions: 12, payload: 6});
		expect(decodeFrame(frame)).not.toBeNull();
		for (let length = 0; length < frame.byteLength; length++) {
			expect(decodeFrame(frame.subarray(0, length)), `length ${length}`).toBeNull();
		}
	});

	it('returns null for impossible header lengths', () => {
		const badIhl = tcpFrame(syn);
		badIhl[14] = 0x44; // IHL 4 (16 bytes)
		expect(decodeFrame(badIhl)).toBeNull();

		const badOffset = tcpFrame(syn);
		badOffset[14 + 20 + 12] = 0x40; // data offset 4
		expect(decodeFrame(badOffset)).toBeNull();

		const pastEnd = tcpFrame({...syn, trailer: 40});
		pastEnd[14 + 20 + 12] = 0xf0; // data offset 15 (60 bytes) > IP total length
		expect(decodeFrame(pastEnd)).toBeNull();

		const shortTotal = tcpFrame(syn);
		shortTotal[14 + 3] = 30; // total length 30 < IP + TCP headers
		expect(decodeFrame(shortTotal)).toBeNull();
	});
});
