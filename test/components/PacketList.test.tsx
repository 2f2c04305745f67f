import {cleanup} from 'ink-testing-library';
import stringWidth from 'string-width';
import {afterEach, describe, expect, it} from 'vitest';
import type {PacketEvent} from '../../source/lab/shared/events.js';
import {PacketList} from '../../source/ui/lab/PacketList.js';
import {colorsEnabled} from '../../source/ui/theme.js';
import {loadEvents} from '../helpers/events.js';
import {anyColour, columns, renderThemed, rows, withChalkColours} from '../helpers/ink.js';
import {plain} from '../helpers/wait-for.js';

/** The packets of a run recorded from the real lab (test/fixtures/events/README.md). */
const packets = loadEvents('fast-drop').filter((e): e is PacketEvent => e.type === 'packet');

afterEach(() => {
	cleanup();
});

describe('PacketList', () => {
	it('lists packets like Wireshark, with short directions in a narrow pane', () => {
		const {lastFrame} = renderThemed(<PacketList packets={packets.slice(0, 5)} height={6} width={44} />);
		const lines = rows(lastFrame());
		expect(lines[0]).toMatch(/time\s+dir\s+kind\s+seq\s+ack\s+len/);
		expect(lines[1]).toMatch(/^ +0\.002 C→S SYN +0 +0$/); // no ack number without the ACK flag
		expect(lines[2]).toMatch(/0\.002 S→C SYN, ACK +0 +1 +0$/);
		expect(lines[3]).toMatch(/0\.002 C→S ACK +1 +1 +0$/);
		expect(lines[4]).toMatch(/^\* 2\.026 S→C Keep-Alive +0 +1 +0$/);
		expect(lines[5]).toMatch(/^\* 2\.026 C→S Keep-Alive ACK +1 +1 +0$/);
		for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(44);
	});

	it('spells directions out when there is room', () => {
		const {lastFrame} = renderThemed(<PacketList packets={packets.slice(-1)} height={2} width={80} />);
		expect(lastFrame()).toContain('direction');
		expect(lastFrame()).toMatch(/! 7\.114 server → client RST +1 +1 +0/);
	});

	it('shows only as many rows as its height, newest at the bottom', () => {
		const {lastFrame} = renderThemed(<PacketList packets={packets} height={4} width={44} />);
		const lines = rows(lastFrame());
		expect(lines).toHaveLength(4);
		expect(lines[0]).toContain('+9');
		expect(lines.slice(1).map(line => line.slice(2, 7))).toEqual(['6.090', '6.090', '7.114']);
		expect(lines[3]).toMatch(/^! 7\.114 S→C RST/);
	});

	it('says when nothing was captured yet', () => {
		const {lastFrame} = renderThemed(<PacketList packets={[]} height={3} width={44} />);
		expect(lastFrame()).toContain('no packets captured yet');
	});

	it('shows the newest packet alone in a single row, never "nothing captured" while there are packets', () => {
		const one = rows(renderThemed(<PacketList packets={packets} height={1} width={60} />).lastFrame());
		expect(one).toEqual([expect.stringMatching(/^! 7\.114 server → client RST/)]);
		const two = rows(renderThemed(<PacketList packets={packets} height={2} width={80} />).lastFrame());
		expect(two[0]).toMatch(/time +direction +kind +seq ack len {2}11 earlier$/);
		expect(two[1]).toMatch(/^! 7\.114 server → client RST/);
		expect(renderThemed(<PacketList packets={[]} height={1} width={60} />).lastFrame()).toContain('no packets captured yet');
	});

	it('sizes the columns for the widest time kept, so that the header stays whole from t = 100 s on', () => {
		const later = packets.map(packet => ({...packet, t: packet.t + 100}));
		const lines = rows(renderThemed(<PacketList packets={later} height={4} width={40} />).lastFrame());
		for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(40);
		expect(lines[0]).toMatch(/^ +time dir kind +seq ack len/);
		expect(lines[0]).not.toContain('…');
		expect(lines[3]).toMatch(/^! 107\.114 S→C RST +1 +1 +0$/);
		// The header's columns end where the rows' do.
		expect(lines[0]!.indexOf('len') + 3).toBe(stringWidth(lines[3]!));
		// The columns do not move as rows scroll by: they are sized for every packet kept, not only those shown.
		const all = rows(renderThemed(<PacketList packets={later} height={13} width={40} />).lastFrame());
		expect(all[0]).toBe(lines[0]!.replace(/ +\+\d+$/, ''));
		expect(all.at(-1)).toBe(lines[3]);
	});

	it('drops the length, then the ack column before the rows run past the width', () => {
		const late = packets.map(packet => ({...packet, t: packet.t + 1000, relSeq: packet.relSeq + 100_000}));
		const lines = rows(renderThemed(<PacketList packets={late} height={3} width={40} />).lastFrame());
		for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(40);
		expect(lines[0]).toMatch(/ seq +ack$/);
		expect(lines[2]).toMatch(/^! 1007\.114 S→C RST +100001/);
	});

	it('marks a client packet the firewall rule counted as dropped', () => {
		const answer = packets.find(packet => packet.kind === 'keepalive-ack' && packet.t > 3)!;
		const dropped = [...packets.slice(0, packets.indexOf(answer)), {...answer, dropped: true}];
		const wide = rows(renderThemed(<PacketList packets={dropped} height={3} width={80} />).lastFrame());
		expect(wide.at(-1)).toMatch(/^\* 4\.\d{3} client → server Keep-Alive ACK ✗ dropped +1 +1 +0$/);
		// The kind column is as wide as the longest kind: the other rows line up with it.
		expect(wide.at(-2)).toMatch(/server → client Keep-Alive {17}0 +1 +0$/);
		const narrow = rows(renderThemed(<PacketList packets={dropped} height={3} width={40} />).lastFrame());
		for (const line of narrow) expect(stringWidth(line), line).toBeLessThanOrEqual(40);
		expect(narrow.at(-1)).toMatch(/^\* 4\.\d{3} C→S Keep-Alive ACK ✗ +1 +1 +0$/);
	});

	describe('highlighting', () => {
		withChalkColours();

		it('makes Keep-Alives and the RST stand out by colour and style', () => {
			const {lastFrame} = renderThemed(<PacketList packets={packets.slice(-3)} height={4} width={44} />, true);
			const lines = rows(lastFrame());
			expect(lines[1]).toContain('\u001B[33m'); // Keep-Alive: yellow
			expect(lines[1]).toContain('\u001B[1m'); // bold
			expect(lines[2]).toContain('\u001B[36m'); // Keep-Alive ACK: cyan
			expect(lines[3]).toContain('\u001B[31m'); // RST: red
			expect(lines[3]).toContain('\u001B[7m'); // inverse
		});

		it('shows a dropped answer in red', () => {
			const answer = packets.find(packet => packet.kind === 'keepalive-ack' && packet.t > 3)!;
			const lines = rows(renderThemed(<PacketList packets={[{...answer, dropped: true}]} height={2} width={44} />, true).lastFrame());
			expect(lines[1]).toContain('\u001B[31m');
			expect(lines[1]).not.toContain('\u001B[36m');
		});

		it('keeps markers, bold and inverse but no colour when NO_COLOR is set', () => {
			const color = colorsEnabled({NO_COLOR: '1'});
			expect(color).toBe(false);
			const {lastFrame} = renderThemed(<PacketList packets={packets.slice(-3)} height={4} width={44} />, color);
			const frame = lastFrame() ?? '';
			expect(frame).not.toMatch(anyColour);
			expect(frame).toContain('\u001B[7m');
			expect(rows(plain(frame)).map(line => line[0])).toEqual([' ', '*', '*', '!']);
		});
	});
});
