import {Box, Text} from 'ink';
import type {KernelReading} from '../../lab/events.js';
import type {KeepaliveParams} from '../../lab/params.js';
import {countdowns} from './countdowns.js';
import {Countdowns, countdownsHeight} from './Countdowns.js';
import {Counters, countersHeight} from './Counters.js';
import type {LabView} from './lab-view.js';
import {PacketList} from './PacketList.js';
import {statusLines} from './status-lines.js';
import {StatusLine} from './StatusLine.js';
import {colorsEnabled} from './theme.js';

export type LabPaneProps = {
	view: LabView;
	/** The kernel's newest readings (from useLab). */
	readings: readonly KernelReading[];
	/** The run's requested values; the countdowns prefer what the socket read back. */
	params: KeepaliveParams;
	width: number;
	height: number;
	/** Colour on or off; default: on unless NO_COLOR is set. */
	color?: boolean;
};

/** The packet list keeps at least this many rows (its header included). */
const minPacketRows = 3;
/** From this height on, each part gets a heading. */
const headingsFrom = 24;

function Heading({text, width}: {text: string; width: number}) {
	return (
		<Text dimColor wrap="truncate">
			{`── ${text} `.padEnd(width, '─')}
		</Text>
	);
}

/** The live lab: status, the kernel's countdowns, the counters and the packet list, fitted to width × height. */
export function LabPane({view, readings, params, width, height, color = colorsEnabled()}: LabPaneProps) {
	const headings = height >= headingsFrom;
	const headingRows = headings ? 2 : 0;
	const fixed = countdownsHeight + countersHeight + headingRows;
	const status = statusLines(view, width).length;
	const statusRows = Math.max(1, Math.min(status, height - fixed - minPacketRows));
	const packetRows = Math.max(0, height - statusRows - fixed);
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<StatusLine view={view} width={width} maxRows={statusRows} color={color} />
			{headings ? <Heading text="kernel keepalive timer (server)" width={width} /> : null}
			<Countdowns countdowns={countdowns(view, readings, params)} width={width} color={color} />
			{headings ? <Heading text="capture" width={width} /> : null}
			<Counters counters={view.counters} width={width} color={color} />
			<PacketList packets={view.packets} height={packetRows} width={width} color={color} />
		</Box>
	);
}
