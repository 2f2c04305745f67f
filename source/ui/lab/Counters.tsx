import {memo} from 'react';
import {useMessages} from '../messages/messages-context.js';
import {type Segment, wideWidth} from './format.js';
import type {LabCounters} from './lab-view.js';
import {SegmentRows} from './SegmentRow.js';

export type CountersProps = {
	counters: LabCounters;
	width: number;
};

/** Rows the counters take (as many as they make). */
export const countersHeight = 2;

const gap: Segment = {text: '  '};

function count(label: string, value: number, color?: string): Segment[] {
	return [{text: `${label} `}, {text: String(value), bold: true, color}];
}

/**
 * Packets by direction, probes sent and answered, ACKs the firewall dropped, RSTs: counted
 * from the wire and the rule. The same counters (a kernel reading changes none) draw nothing new.
 */
export const Counters = memo(function Counters({counters: c, width}: CountersProps) {
	const words = useMessages().counters;
	const wide = width >= wideWidth;
	const rows: Segment[][] = [
		[
			...count(words.serverToClient(wide), c.serverToClient),
			gap,
			...count(words.clientToServer(wide), c.clientToServer),
			gap,
			...count(words.rst, c.rsts, c.rsts > 0 ? 'red' : undefined),
		],
		[
			...count(words.probesSent, c.probesSent, 'yellow'),
			gap,
			...count(words.answered, c.probesAnswered, 'cyan'),
			gap,
			...count(words.dropped(wide), c.acksDropped, c.acksDropped > 0 ? 'red' : undefined),
		],
	];
	return <SegmentRows rows={rows} width={width} />;
});
