import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {PacketEvent} from '../../source/lab/events.js';
import {PacketList} from '../../source/ui/lab/PacketList.js';
import {colorsEnabled} from '../../source/ui/lab/theme.js';
import {loadEvents} from '../helpers/events.js';
import {anyColour, columns, rows, withChalkColours} from '../helpers/ink.js';
import {plain} from '../helpers/wait-for.js';

/** The packets of a run recorded from the real lab (test/fixtures/events/README.md). */
const packets = loadEvents('fast-drop').filter((e): e is PacketEvent => e.type === 'packet');

afterEach(() => {
	cleanup();
});

describe('PacketList', () => {
	it('lists packets like Wireshark, with short directions in a narrow pane', () => {
		const {lastFrame} = render(<PacketList packets={packets.slice(0, 5)} height={6} width={44} color={false} />);
		const lines = rows(lastFrame());
		expect(lines[0]).toMatch(/time\s+dir\s+kind\s+seq\s+ack\s+len/);
		expect(lines[1]).toMatch(/^ +0\.003 C→S SYN +0 +0$/); // no ack number without the ACK flag
		expect(lines[2]).toMatch(/0\.003 S→C SYN, ACK +0 +1 +0$/);
		expect(lines[3]).toMatch(/0\.003 C→S ACK +1 +1 +0$/);
		expect(lines[4]).toMatch(/^\* 2\.010 S→C Keep-Alive +0 +1 +0$/);
		expect(lines[5]).toMatch(/^\* 2\.010 C→S Keep-Alive ACK +1 +1 +0$/);
		for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(44);
	});

	it('spells directions out when there is room', () => {
		const {lastFrame} = render(<PacketList packets={packets.slice(-1)} height={2} width={80} color={false} />);
		expect(lastFrame()).toContain('direction');
		expect(lastFrame()).toMatch(/! 7\.102 server → client RST +1 +1 +0/);
	});

	it('shows only as many rows as its height, newest at the bottom', () => {
		const {lastFrame} = render(<PacketList packets={packets} height={4} width={44} color={false} />);
		const lines = rows(lastFrame());
		expect(lines).toHaveLength(4);
		expect(lines[0]).toContain('+9');
		expect(lines.slice(1).map(line => line.slice(2, 7))).toEqual(['6.074', '6.074', '7.102']);
		expect(lines[3]).toMatch(/^! 7\.102 S→C RST/);
	});

	it('says when nothing was captured yet', () => {
		const {lastFrame} = render(<PacketList packets={[]} height={3} width={44} color={false} />);
		expect(lastFrame()).toContain('no packets captured yet');
	});

	describe('highlighting', () => {
		withChalkColours();

		it('makes Keep-Alives and the RST stand out by colour and style', () => {
			const {lastFrame} = render(<PacketList packets={packets.slice(-3)} height={4} width={44} color />);
			const lines = rows(lastFrame());
			expect(lines[1]).toContain('\u001B[33m'); // Keep-Alive: yellow
			expect(lines[1]).toContain('\u001B[1m'); // bold
			expect(lines[2]).toContain('\u001B[36m'); // Keep-Alive ACK: cyan
			expect(lines[3]).toContain('\u001B[31m'); // RST: red
			expect(lines[3]).toContain('\u001B[7m'); // inverse
		});

		it('keeps markers, bold and inverse but no colour when NO_COLOR is set', () => {
			const color = colorsEnabled({NO_COLOR: '1'});
			expect(color).toBe(false);
			const {lastFrame} = render(<PacketList packets={packets.slice(-3)} height={4} width={44} color={color} />);
			const frame = lastFrame() ?? '';
			expect(frame).not.toMatch(anyColour);
			expect(frame).toContain('\u001B[7m');
			expect(rows(plain(frame)).map(line => line[0])).toEqual([' ', '*', '*', '!']);
		});
	});
});

describe('colorsEnabled', () => {
	it('follows NO_COLOR (set and not empty) as no-color.org says', () => {
		expect(colorsEnabled({})).toBe(true);
		expect(colorsEnabled({NO_COLOR: ''})).toBe(true);
		expect(colorsEnabled({NO_COLOR: '1'})).toBe(false);
		expect(colorsEnabled({NO_COLOR: 'false'})).toBe(false);
	});
});
