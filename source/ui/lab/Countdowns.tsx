import {Box, Text} from 'ink';
import {useMessages} from '../messages/messages-context.js';
import {type Theme, useTheme} from '../theme.js';
import type {CountdownStatus, Countdowns as CountdownsView, TimerCountdown} from './countdowns.js';
import {columnsOf, padEnd} from './format.js';

export type CountdownsProps = {
	/** From `countdowns(view, readings, params)`. */
	countdowns: CountdownsView;
	width: number;
};

/** Rows the countdowns take. */
export const countdownsHeight = 3;

const maxBar = 10;

type TextStyle = {color?: string | undefined; bold?: boolean; dimColor?: boolean; italic?: boolean};

function statusStyle(status: CountdownStatus, {paint}: Theme): TextStyle {
	switch (status) {
		case 'counting':
			return {color: paint('green'), bold: true};
		case 'late':
			return {color: paint('yellow'), bold: true};
		case 'closed':
			return {color: paint('red')};
		default:
			return {dimColor: true};
	}
}

function Row({label, countdown}: {label: string; countdown: TimerCountdown}) {
	const theme = useTheme();
	return (
		<Text wrap="truncate">
			{label}
			<Text {...statusStyle(countdown.status, theme)}>{countdown.text}</Text>
		</Text>
	);
}

/** `[##-]`: probes used out of the limit, at most ten cells wide. */
export function probeBar(used: number, limit: number): {filled: string; empty: string} {
	const cells = Math.min(limit, maxBar);
	const filled = limit <= 0 ? 0 : Math.min(cells, Math.ceil((used / limit) * cells));
	return {filled: '#'.repeat(filled), empty: '-'.repeat(cells - filled)};
}

/** The server's keepalive timer as the kernel reports it, the next probe derived from it, and the probes left before the RST. */
export function Countdowns({countdowns, width}: CountdownsProps) {
	const theme = useTheme();
	const words = useMessages().countdowns;
	// One column after the longest label, measured by columns (a CJK label takes two each).
	const labelWidth = Math.max(...[words.timer, words.next, words.probes].map(columnsOf)) + 1;
	const {probes} = countdowns;
	const bar = probes.used === null ? null : probeBar(probes.used, probes.limit);
	const full = probes.used !== null && probes.used >= probes.limit;
	return (
		<Box flexDirection="column" width={width} height={countdownsHeight} overflow="hidden">
			<Row label={padEnd(words.timer, labelWidth)} countdown={countdowns.timer} />
			<Row label={padEnd(words.next, labelWidth)} countdown={countdowns.next} />
			<Text wrap="truncate">
				{padEnd(words.probes, labelWidth)}
				{bar ? (
					<Text>
						[<Text color={theme.paint(full ? 'red' : 'yellow')} bold>{bar.filled}</Text>
						<Text dimColor>{bar.empty}</Text>]{' '}
						<Text bold>
							{probes.used}/{probes.limit}
						</Text>{' '}
					</Text>
				) : null}
				{/* The time to the RST is a prediction: italic, never the green of a kernel reading. */}
				<Text {...(probes.status === 'counting' ? {italic: true} : statusStyle(probes.status, theme))}>{probes.text}</Text>
			</Text>
		</Box>
	);
}
