import type {Segment} from './format.js';
import {SegmentRows} from './SegmentRow.js';

export type StatusLineProps = {
	/** From `statusLines(view, width, messages)`. */
	lines: readonly Segment[][];
	width: number;
	/** At most this many rows (the first ones); default: all. */
	maxRows?: number;
};

/** Sandbox, firewall tool, port; lab errors; keepalive values read back; sockets; the drop command when on; the summary. */
export function StatusLine({lines, width, maxRows}: StatusLineProps) {
	return <SegmentRows rows={lines.slice(0, maxRows === undefined ? undefined : Math.max(0, maxRows))} width={width} />;
}
