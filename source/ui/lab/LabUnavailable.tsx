import {Box, Text} from 'ink';
import type {LabProblem} from '../lab-store/run-events.js';
import {useMessages} from '../messages/messages-context.js';
import {useTheme} from '../theme.js';

export type LabUnavailableProps = {
	/** Why the lab cannot run and what to do (a LabStartError's message and fix; without a fix, a general one). */
	error: LabProblem;
	width: number;
};

/** Shown in place of the lab pane when the lab cannot start; the lessons' text still works. */
export function LabUnavailable({error, width}: LabUnavailableProps) {
	const {paint} = useTheme();
	const words = useMessages().unavailable;
	return (
		<Box flexDirection="column" width={width} borderStyle="round" borderColor={paint('yellow')} paddingX={1}>
			<Text bold color={paint('yellow')}>
				{words.title}
			</Text>
			<Text>{error.message}</Text>
			<Box marginTop={1} flexDirection="column">
				<Text bold>{words.toFix}</Text>
				<Text>{error.fix ?? words.fix}</Text>
			</Box>
			<Box marginTop={1}>
				<Text dimColor>{words.stillWorks}</Text>
			</Box>
		</Box>
	);
}
