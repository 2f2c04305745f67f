import {Box} from 'ink';
import {memo} from 'react';
import type {KeepaliveParams} from '../../lab/shared/params.js';
import {countdowns} from './countdown-model.js';
import {Countdowns, countdownsHeight} from './Countdowns.js';
import {Counters, countersHeight} from './Counters.js';
import {useMessages} from '../messages/messages-context.js';
import {columnsOf} from './format.js';
import type {LabView} from './lab-view.js';
import {PacketList} from './PacketList.js';
import {SegmentRow} from './SegmentRow.js';
import {statusLines} from './status-lines.js';
import {StatusLine} from './StatusLine.js';

export type LabPaneProps = {
	view: LabView;
	/** The run's requested values; the countdowns prefer what the socket read back. */
	params: KeepaliveParams;
	width: number;
	height: number;
};

/** The packet list keeps at least this many rows (its header included) before the status gets more than one. */
const minPacketRows = 3;
/** From this height on, each part gets a heading. */
const headingsFrom = 24;

const Heading = memo(function Heading({text, width}: {text: string; width: number}) {
	const label = `── ${text} `;
	return <SegmentRow segments={[{text: label + '─'.repeat(Math.max(0, width - columnsOf(label))), dim: true}]} width={width} />;
});

type LabRows = {status: number; headings: boolean; countdowns: number; counters: number; packets: number};

/**
 * How `height` rows are shared, never more than there are. When rows are short, the
 * kernel's countdowns stay longest, then the counters, the status's first row and the
 * packet list (one row: the newest packet); the status's further rows come as long as
 * the list keeps three rows, and the packets get the rest.
 */
function labRows(statusLines: number, height: number): LabRows {
	const headings = height >= headingsFrom;
	let left = Math.max(0, height - (headings ? 2 : 0));
	/** A part's rows when they all fit, else none. */
	const whole = (rows: number) => {
		const taken = rows <= left ? rows : 0;
		left -= taken;
		return taken;
	};

	const countdowns = whole(countdownsHeight);
	const counters = whole(countersHeight);
	const first = whole(Math.min(1, statusLines));
	const status = first + whole(Math.max(0, Math.min(statusLines - first, left - minPacketRows)));
	return {status, headings, countdowns, counters, packets: left};
}

/** The live lab: status, the kernel's countdowns, the counters and the packet list, fitted to width × height. */
export function LabPane({view, params, width, height}: LabPaneProps) {
	const messages = useMessages();
	const status = statusLines(view, width, messages);
	const rows = labRows(status.length, height);
	// No clipping: every part keeps to its rows and every row to the width (SegmentRow).
	return (
		<Box flexDirection="column" width={width} height={height}>
			{rows.status > 0 ? <StatusLine lines={status} width={width} maxRows={rows.status} /> : null}
			{rows.headings ? <Heading text={messages.lab.timerHeading} width={width} /> : null}
			{rows.countdowns > 0 ? <Countdowns countdowns={countdowns(view, params, messages)} width={width} /> : null}
			{rows.headings ? <Heading text={messages.lab.captureHeading} width={width} /> : null}
			{rows.counters > 0 ? <Counters counters={view.counters} width={width} /> : null}
			<PacketList packets={view.packets} height={rows.packets} width={width} />
		</Box>
	);
}
