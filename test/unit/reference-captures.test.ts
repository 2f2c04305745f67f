import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {classify, initialConversation} from '../../source/lab/agent/decode/classify.js';
import {decodeFrame} from '../../source/lab/agent/decode/frame.js';
import type {TcpSegment} from '../../source/lab/agent/decode/frame.js';
import type {PacketEvent, TcpFlag} from '../../source/lab/shared/events.js';
import {foldRunEvents} from '../../source/lab/model/run-state.js';
import {expectedTimeline, isOnTime} from '../../source/lab/model/timeline.js';
import {readPcap} from '../helpers/pcap-read.js';

// Captures by tcpdump, labelled by tshark (see test/fixtures/captures/README.md).
const captures = ['keepalive-2-1-2-drop', 'keepalive-2-1-2-data-drop'];
const params = {idle: 2, intvl: 1, probes: 2};
const dropFrom = 2.5; // seconds: the client's packets die at the server's input from here on
const serverPort = 6699;

const fixture = (name: string) => new URL(`../fixtures/captures/${name}`, import.meta.url);
const flagBits: TcpFlag[] = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

function tsharkRows(name: string): Array<Record<string, string>> {
	const [header, ...lines] = readFileSync(fixture(`${name}.tshark.csv`), 'utf8').trim().split('\n');
	const columns = (header ?? '').split(',');
	return lines.map((line) => {
		const cells = line.split(',');
		return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? '']));
	});
}

function ours(name: string): Array<{segment: TcpSegment; packet: PacketEvent}> {
	const {linktype, records} = readPcap(readFileSync(fixture(`${name}.pcap`)));
	expect(linktype).toBe(1);
	const start = records[0]?.tsMicros ?? 0;
	let conv = initialConversation(serverPort);
	return records.map(({frame, tsMicros}) => {
		const segment = decodeFrame(frame);
		if (!segment) throw new Error('a frame of the reference capture did not decode');
		const result = classify(conv, segment);
		conv = result.conv;
		return {segment, packet: {...result.packet, t: (tsMicros - start) / 1e6}};
	});
}

describe.each(captures)('reference capture %s', (name) => {
	const rows = tsharkRows(name);
	const decoded = ours(name);
	const packets = decoded.map((d) => d.packet);

	it('has every frame tshark has', () => {
		expect(packets).toHaveLength(rows.length);
	});

	it('agrees with tshark on every column of every frame', () => {
		rows.forEach((row, i) => {
			const {segment, packet: p} = decoded[i] ?? {};
			const where = `frame ${row['frame.number']}`;
			if (!segment || !p) throw new Error(`${where} is missing`);
			expect([segment.srcPort, segment.dstPort], where).toEqual([Number(row['tcp.srcport']), Number(row['tcp.dstport'])]);
			expect(p.from, where).toBe(row['tcp.srcport'] === String(serverPort) ? 'server' : 'client');
			expect(p.t, where).toBeCloseTo(Number(row['frame.time_relative']), 6);
			const mask = p.flags.reduce((bits, flag) => bits | (1 << flagBits.indexOf(flag)), 0);
			expect(mask, where).toBe(Number(row['tcp.flags']));
			expect([p.seq, p.ack, p.relSeq, p.relAck, p.len], where).toEqual(
				['tcp.seq_raw', 'tcp.ack_raw', 'tcp.seq', 'tcp.ack', 'tcp.len'].map((column) => Number(row[column])),
			);
			expect(p.kind === 'keepalive', `${where} keep_alive`).toBe(row['tcp.analysis.keep_alive'] === '1');
			expect(p.kind === 'keepalive-ack', `${where} keep_alive_ack`).toBe(row['tcp.analysis.keep_alive_ack'] === '1');
		});
	});

	it('ends with server probes that go unanswered, then the RST, on time by the timeline model', () => {
		// The server's clock when the client's packets started to die at its input.
		const before = packets.filter((p) => p.t < dropFrom);
		const clock = foldRunEvents([...before, {t: dropFrom, type: 'firewall', action: 'drop', command: 'tcpdump capture', dropped: 0}]).drop.clockAtDrop;
		const probes = packets.filter((p) => p.from === 'server' && p.kind === 'keepalive' && p.t > dropFrom);
		const rst = packets.at(-1);
		expect(rst?.kind).toBe('rst');
		expect(rst?.from).toBe('server');
		expect(clock).not.toBeNull();

		const expected = expectedTimeline(params, clock!);
		expect(probes).toHaveLength(expected.probes.length);
		probes.forEach((probe, i) => {
			expect(isOnTime(probe.t, expected.probes[i] ?? Number.NaN, expected.probeLate[i] ?? 0), `probe ${i}`).toBe(true);
		});
		expect(isOnTime(rst?.t ?? Number.NaN, expected.rstAt, expected.rstLate)).toBe(true);
	});
});
