import {memo} from 'react';
import {type Segment, sameRows} from './format.js';
import {SegmentRows} from './SegmentRow.js';

export type StatusLineProps = {
	/** From `statusLines(view, width, messages)`. */
	lines: readonly Segment[][];
	width: number;
	/** At most this many rows (the first ones); default: all. */
	maxRows?: number;
};

/**
 * Sandbox, firewall tool, port; lab errors; keepalive values read back; sockets; the drop
 * command when on; the summary. Made again from the view at every kernel reading, it is
 * drawn again only when one of its rows changed.
 */
export const StatusLine = memo(
	function StatusLine({lines, width, maxRows}: StatusLineProps) {
		return <SegmentRows rows={lines.slice(0, maxRows === undefined ? undefined : Math.max(0, maxRows))} width={width} />;
	},
	(before, after) => before.width === after.width && before.maxRows === after.maxRows && sameRows(before.lines, after.lines),
);
