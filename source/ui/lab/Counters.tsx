import {Box, Text} from 'ink';
import {useMessages} from '../messages/messages-context.js';
import {useTheme} from '../theme.js';
import {wideWidth} from './format.js';
import type {LabCounters} from './lab-view.js';

export type CountersProps = {
	counters: LabCounters;
	width: number;
};

/** Rows the counters take. */
export const countersHeight = 2;

function Count({label, value, color}: {label: string; value: number; color?: string | undefined}) {
	return (
		<Text>
			{label} <Text bold color={color}>{value}</Text>
		</Text>
	);
}

/** Packets by direction, probes sent and answered, ACKs the firewall dropped, RSTs: counted from the wire and the rule. */
export function Counters({counters: c, width}: CountersProps) {
	const {paint} = useTheme();
	const words = useMessages().counters;
	const wide = width >= wideWidth;
	return (
		<Box flexDirection="column" width={width} height={countersHeight} overflow="hidden">
			<Text wrap="truncate">
				<Count label={words.serverToClient(wide)} value={c.serverToClient} />
				{'  '}
				<Count label={words.clientToServer(wide)} value={c.clientToServer} />
				{'  '}
				<Count label={words.rst} value={c.rsts} color={paint(c.rsts > 0 ? 'red' : undefined)} />
			</Text>
			<Text wrap="truncate">
				<Count label={words.probesSent} value={c.probesSent} color={paint('yellow')} />
				{'  '}
				<Count label={words.answered} value={c.probesAnswered} color={paint('cyan')} />
				{'  '}
				<Count
					label={words.dropped(wide)}
					value={c.acksDropped}
					color={paint(c.acksDropped > 0 ? 'red' : undefined)}
				/>
			</Text>
		</Box>
	);
}
