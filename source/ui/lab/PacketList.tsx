import {memo} from 'react';
import type {PacketEvent} from '../../lab/shared/events.js';
import type {Messages} from '../messages/messages.js';
import {useMessages} from '../messages/messages-context.js';
import {columnsOf, formatT, padEnd, padStart, type Segment, wideWidth} from './format.js';
import {SegmentRows} from './SegmentRow.js';

/**
 * A captured segment; `dropped` once the firewall rule's own counter confirmed it died at the
 * server's input. With `at`, the NAT router's copy of a client's data segment as it came in.
 */
export type PacketRow = PacketEvent & {dropped?: boolean};

export type PacketListProps = {
	/** Oldest first; the newest shows at the bottom. */
	packets: ReadonlyArray<PacketRow>;
	/** Rows for the list, its header included (with one row: the newest packet alone). */
	height: number;
	width: number;
};

type Style = Omit<Segment, 'text'> & {marker: string};

/** Keep-alive rows, drops and the RST stand out by style and by a marker that survives NO_COLOR. */
function rowStyle(packet: PacketRow): Style {
	switch (packet.kind) {
		case 'keepalive':
			return {marker: '*', color: 'yellow', bold: true};
		case 'keepalive-ack':
			return {marker: '*', color: packet.dropped ? 'red' : 'cyan', bold: true};
		case 'rst':
			return {marker: '!', color: 'red', bold: true, inverse: true};
		default:
			return packet.dropped ? {marker: ' ', color: 'red'} : {marker: ' '};
	}
}

type Cells = {t: string; dir: string; kind: string; seq: string; ack: string; len: string};

/** What the columns look like; the list takes the first shape that fits its width. */
type Shape = {short: boolean; dropWord: boolean; ack: boolean; len: boolean};

function shapes(width: number): Shape[] {
	const narrow = {short: true, dropWord: true, ack: true, len: true};
	return [
		...(width >= wideWidth ? [{...narrow, short: false}] : []),
		narrow,
		{...narrow, dropWord: false},
		{...narrow, dropWord: false, len: false},
		{...narrow, dropWord: false, len: false, ack: false},
	];
}

type Words = Messages['packets'];

function cells(packet: PacketRow, shape: Shape, words: Words): Cells {
	const dropped = packet.dropped ? words.dropped(!shape.dropWord) : '';
	return {
		t: formatT(packet.t),
		dir: packet.at === 'router-in' ? words.intoRouter(shape.short) : words.directionOf(packet.from, shape.short),
		kind: words.kinds[packet.kind] + dropped,
		seq: String(packet.relSeq),
		// Like Wireshark, an ack number only where the ACK flag is set.
		ack: packet.flags.includes('ACK') ? String(packet.relAck) : '',
		len: String(packet.len),
	};
}

const headerOf = (shape: Shape, w: Words): Cells => ({t: w.time, dir: shape.short ? w.dir : w.direction, kind: w.kind, seq: w.seq, ack: w.ack, len: w.len});

type Table = {shape: Shape; line: (cells: Cells, marker: string) => string; width: number};

/**
 * Column widths from every packet kept, not only the rows shown: the columns stay put as
 * the list scrolls, and the header lines up with the widest row (a time ≥ 100 s included).
 */
function table(packets: ReadonlyArray<PacketRow>, width: number, words: Words): Table {
	const fit = shapes(width).map((shape): Table => {
		const all = [headerOf(shape, words), ...packets.map(packet => cells(packet, shape, words))];
		const widthOf = (key: keyof Cells) => Math.max(...all.map(row => columnsOf(row[key])));
		const w = {t: widthOf('t'), dir: widthOf('dir'), kind: widthOf('kind'), seq: widthOf('seq'), ack: widthOf('ack'), len: widthOf('len')};
		const line = (c: Cells, marker: string) =>
			[
				marker,
				padStart(c.t, w.t),
				padEnd(c.dir, w.dir),
				padEnd(c.kind, w.kind),
				padStart(c.seq, w.seq),
				...(shape.ack ? [padStart(c.ack, w.ack)] : []),
				...(shape.len ? [padStart(c.len, w.len)] : []),
			].join(' ');
		return {shape, line, width: columnsOf(line(headerOf(shape, words), ' '))};
	});
	return fit.find(candidate => candidate.width <= width) ?? fit.at(-1)!;
}

/** How many older packets scrolled off, in the room left on the header row (nothing when there is none). */
function hiddenNote(hidden: number, room: number, words: Words): string {
	const long = `  ${words.earlier(hidden)}`;
	const short = ` +${hidden}`;
	return columnsOf(long) <= room ? long : columnsOf(short) <= room ? short : '';
}

/**
 * The captured segments as Wireshark's packet list shows them, newest at the bottom. The
 * same packets (a kernel reading adds none) draw nothing new.
 */
export const PacketList = memo(function PacketList({packets, height, width}: PacketListProps) {
	const words = useMessages().packets;
	if (height <= 0) return null;
	const {shape, line, width: used} = table(packets, width, words);
	// One row only: the newest packet matters more than the column names.
	const header = height >= 2;
	const shown = packets.slice(-(header ? height - 1 : height));
	const hidden = packets.length - shown.length;
	const headerRow: Segment[] = [
		{text: line(headerOf(shape, words), ' '), bold: true},
		...(hidden > 0 ? [{text: hiddenNote(hidden, width - used, words), bold: true, dim: true}] : []),
	];
	const packetRows = shown.map((packet): Segment[] => {
		const {marker, ...style} = rowStyle(packet);
		return [{text: line(cells(packet, shape, words), marker), ...style}];
	});
	const rows = [...(header ? [headerRow] : []), ...(shown.length === 0 ? [[{text: `  ${words.none}`, dim: true}]] : packetRows)];
	return <SegmentRows rows={rows} width={width} />;
});
