import type {Messages} from '../messages/messages.js';
import {useMessages} from '../messages/messages-context.js';
import type {CountdownStatus, Countdowns as CountdownsView} from './countdown-model.js';
import {columnsOf, padEnd, type Segment} from './format.js';
import {SegmentRows} from './SegmentRow.js';

export type CountdownsProps = {
	/** From `countdowns(view, readings, params)`. */
	countdowns: CountdownsView;
	width: number;
};

/** Rows the countdowns take (countdownRows makes as many). */
export const countdownsHeight = 3;

const maxBar = 10;

type Style = Omit<Segment, 'text'>;

function statusStyle(status: CountdownStatus): Style {
	switch (status) {
		case 'counting':
			return {color: 'green', bold: true};
		case 'late':
			return {color: 'yellow', bold: true};
		case 'closed':
			return {color: 'red'};
		default:
			return {dim: true};
	}
}

/** `[##-]`: probes used out of the limit, at most ten cells wide. */
export function probeBar(used: number, limit: number): {filled: string; empty: string} {
	const cells = Math.min(limit, maxBar);
	const filled = limit <= 0 ? 0 : Math.min(cells, Math.ceil((used / limit) * cells));
	return {filled: '#'.repeat(filled), empty: '-'.repeat(cells - filled)};
}

/** The countdowns' three rows: the timer, the next probe, and the probes used with the RST in prospect. */
function countdownRows({timer, next, probes}: CountdownsView, words: Messages['countdowns']): Segment[][] {
	// One column after the longest label, measured by columns (a CJK label takes two each).
	const labelWidth = Math.max(...[words.timer, words.next, words.probes].map(columnsOf)) + 1;
	const bar = probes.used === null ? null : probeBar(probes.used, probes.limit);
	const full = probes.used !== null && probes.used >= probes.limit;
	const barSegments: Segment[] = bar
		? [
				{text: '['},
				{text: bar.filled, color: full ? 'red' : 'yellow', bold: true},
				{text: bar.empty, dim: true},
				{text: '] '},
				{text: `${probes.used}/${probes.limit}`, bold: true},
				{text: ' '},
			]
		: [];
	return [
		[{text: padEnd(words.timer, labelWidth)}, {text: timer.text, ...statusStyle(timer.status)}],
		[{text: padEnd(words.next, labelWidth)}, {text: next.text, ...statusStyle(next.status)}],
		[
			{text: padEnd(words.probes, labelWidth)},
			...barSegments,
			// The time to the RST is a prediction: italic, never the green of a kernel reading.
			{text: probes.text, ...(probes.status === 'counting' ? {italic: true} : statusStyle(probes.status))},
		],
	];
}

/** The server's keepalive timer as the kernel reports it, the next probe derived from it, and the probes left before the RST. */
export function Countdowns({countdowns, width}: CountdownsProps) {
	const words = useMessages().countdowns;
	return <SegmentRows rows={countdownRows(countdowns, words)} width={width} />;
}
