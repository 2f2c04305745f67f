import {Box, Text} from 'ink';
import type {PacketEvent} from '../../lab/events.js';
import {kindLabels} from '../../lab/kind-labels.js';
import {directionLabel, formatT} from './format.js';
import {colorsEnabled, paint, wideWidth} from './theme.js';

export type PacketListProps = {
	/** Oldest first; the newest shows at the bottom. */
	packets: readonly PacketEvent[];
	/** Rows for the list, its header included. */
	height: number;
	width: number;
	/** Colour on or off; default: on unless NO_COLOR is set. */
	color?: boolean;
};

type Style = {marker: string; color?: string; bold?: boolean; inverse?: boolean};

/** Keep-alive rows and the RST stand out by style and by a marker that survives NO_COLOR. */
function rowStyle(packet: PacketEvent): Style {
	switch (packet.kind) {
		case 'keepalive':
			return {marker: '*', color: 'yellow', bold: true};
		case 'keepalive-ack':
			return {marker: '*', color: 'cyan', bold: true};
		case 'rst':
			return {marker: '!', color: 'red', bold: true, inverse: true};
		default:
			return {marker: ' '};
	}
}

type Cells = {t: string; dir: string; kind: string; seq: string; ack: string; len: string};

function cells(packet: PacketEvent, short: boolean): Cells {
	return {
		t: formatT(packet.t),
		dir: directionLabel(packet.from, short),
		kind: kindLabels[packet.kind],
		seq: String(packet.relSeq),
		// Like Wireshark, an ack number only where the ACK flag is set.
		ack: packet.flags.includes('ACK') ? String(packet.relAck) : '',
		len: String(packet.len),
	};
}

/** How many older packets scrolled off, in the room left on the header row. */
function hiddenNote(hidden: number, room: number): string {
	const long = `  ${hidden} earlier`;
	return long.length <= room ? long : ` +${hidden}`;
}

/** The captured segments as Wireshark's packet list shows them, newest at the bottom. */
export function PacketList({packets, height, width, color = colorsEnabled()}: PacketListProps) {
	const short = width < wideWidth;
	const rows = Math.max(0, height - 1);
	const shown = rows === 0 ? [] : packets.slice(-rows);
	const header: Cells = {t: 'time', dir: short ? 'dir' : 'direction', kind: 'kind', seq: 'seq', ack: 'ack', len: 'len'};
	const body = shown.map(packet => cells(packet, short));
	const all = [header, ...body];
	const widthOf = (key: keyof Cells) => Math.max(...all.map(row => row[key].length));
	const w = {t: widthOf('t'), dir: widthOf('dir'), kind: widthOf('kind'), seq: widthOf('seq'), ack: widthOf('ack'), len: widthOf('len')};
	const line = (c: Cells, marker: string) =>
		[
			marker,
			c.t.padStart(w.t),
			c.dir.padEnd(w.dir),
			c.kind.padEnd(w.kind),
			c.seq.padStart(w.seq),
			c.ack.padStart(w.ack),
			c.len.padStart(w.len),
		].join(' ');
	const hidden = packets.length - shown.length;

	if (height <= 0) return null;
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold wrap="truncate">
				{line(header, ' ')}
				{hidden > 0 ? <Text dimColor>{hiddenNote(hidden, width - line(header, ' ').length)}</Text> : null}
			</Text>
			{body.length === 0 ? (
				<Text dimColor wrap="truncate">
					{'  no packets captured yet'}
				</Text>
			) : (
				body.map((c, index) => {
					const packet = shown[index]!;
					const style = rowStyle(packet);
					return (
						<Text
							key={`${packet.t}-${index}`}
							wrap="truncate"
							color={paint(color, style.color)}
							bold={style.bold ?? false}
							inverse={style.inverse ?? false}
						>
							{line(c, style.marker)}
						</Text>
					);
				})
			)}
		</Box>
	);
}
