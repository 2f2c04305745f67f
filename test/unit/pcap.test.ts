import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {decodeFrame} from '../../source/lab/agent/decode/frame.js';
import {pcapGlobalHeader, pcapRecord} from '../../source/lab/shared/pcap.js';
import {tcpFrame} from '../helpers/frames.js';
import {readPcap} from '../helpers/pcap-read.js';

const fixture = new URL('../fixtures/captures/keepalive-2-1-2-drop.pcap', import.meta.url);

describe('pcapGlobalHeader', () => {
	it('writes the 24-byte little-endian classic header, v2.4, Ethernet', () => {
		expect(pcapGlobalHeader().toString('hex')).toBe(
			['d4c3b2a1', '0200', '0400', '00000000', '00000000', 'ffff0000', '01000000'].join(''),
		);
		expect(pcapGlobalHeader(262_144).readUInt32LE(16)).toBe(262_144);
	});

	it('matches the header tcpdump wrote for the reference capture', () => {
		expect(pcapGlobalHeader(262_144)).toEqual(readFileSync(fixture).subarray(0, 24));
	});
});

describe('pcapRecord', () => {
	it('splits integer microseconds into ts_sec and ts_usec and stores both lengths', () => {
		const frame = Uint8Array.from([1, 2, 3, 4, 5]);
		const record = pcapRecord(1_700_000_000_123_456, frame);
		expect(record.byteLength).toBe(16 + 5);
		expect(record.readUInt32LE(0)).toBe(1_700_000_000);
		expect(record.readUInt32LE(4)).toBe(123_456);
		expect(record.readUInt32LE(8)).toBe(5);
		expect(record.readUInt32LE(12)).toBe(5);
		expect([...record.subarray(16)]).toEqual([1, 2, 3, 4, 5]);
	});

	it('handles whole seconds and the epoch', () => {
		expect(pcapRecord(2_000_000, new Uint8Array()).subarray(0, 8).toString('hex')).toBe('0200000000000000');
		expect(pcapRecord(0, new Uint8Array()).toString('hex')).toBe('00'.repeat(16));
	});

	it('cuts a frame longer than the snaplen and keeps its real length', () => {
		const record = pcapRecord(0, new Uint8Array(100).fill(7), 64);
		expect(record.readUInt32LE(8)).toBe(64);
		expect(record.readUInt32LE(12)).toBe(100);
		expect(record.byteLength).toBe(16 + 64);
	});

	it('refuses timestamps that are not whole non-negative microseconds', () => {
		expect(() => pcapRecord(1.5, new Uint8Array())).toThrow(RangeError);
		expect(() => pcapRecord(-1, new Uint8Array())).toThrow(RangeError);
		expect(() => pcapRecord(Number.NaN, new Uint8Array())).toThrow(RangeError);
	});
});

describe('a written pcap, read back by hand', () => {
	it('gives back the same frames, stamps and decoded segments', () => {
		const frames = [
			tcpFrame({srcPort: 40_000, dstPort: 6699, seq: 1000, flags: ['SYN']}),
			tcpFrame({srcPort: 6699, dstPort: 40_000, seq: 5000, ack: 1001, flags: ['SYN', 'ACK']}),
			tcpFrame({srcPort: 40_000, dstPort: 6699, seq: 1001, ack: 5001, flags: ['PSH', 'ACK'], payload: 6}),
		];
		const stamps = [1_732_540_000_000_000, 1_732_540_000_000_015, 1_732_540_002_999_999];
		const file = Buffer.concat([pcapGlobalHeader(), ...frames.map((frame, i) => pcapRecord(stamps[i] ?? 0, frame))]);

		const read = readPcap(file);
		expect(read.snaplen).toBe(65_535);
		expect(read.linktype).toBe(1);
		expect(read.records.map((r) => r.tsMicros)).toEqual(stamps);
		expect(read.records.map((r) => [...r.frame])).toEqual(frames.map((f) => [...f]));
		expect(read.records.map((r) => r.origLen)).toEqual(frames.map((f) => f.byteLength));
		expect(read.records.map((r) => decodeFrame(r.frame)?.flags)).toEqual([['SYN'], ['SYN', 'ACK'], ['PSH', 'ACK']]);
	});
});
