import {Box, Text} from 'ink';
import {useMessages} from '../messages/messages-context.js';
import {useTheme} from '../theme.js';
import type {LabView} from './lab-view.js';
import {statusLines} from './status-lines.js';

export type StatusLineProps = {
	view: LabView;
	width: number;
	/** At most this many rows (the first ones); default: all. */
	maxRows?: number;
};

/** Sandbox, firewall tool, port; lab errors; keepalive values read back; sockets; the drop command when on; the summary. */
export function StatusLine({view, width, maxRows}: StatusLineProps) {
	const {paint} = useTheme();
	const lines = statusLines(view, width, useMessages()).slice(0, maxRows === undefined ? undefined : Math.max(0, maxRows));
	return (
		<Box flexDirection="column" width={width} height={lines.length} overflow="hidden">
			{lines.map((line, row) => (
				<Text key={row} wrap="truncate">
					{line.map((segment, index) => (
						<Text key={index} color={paint(segment.color)} bold={segment.bold ?? false} dimColor={segment.dim ?? false}>
							{segment.text}
						</Text>
					))}
				</Text>
			))}
		</Box>
	);
}
