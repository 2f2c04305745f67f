import {Box, Text} from 'ink';
import {useTheme} from '../theme.js';

export type LabUnavailableProps = {
	/** Why the lab cannot run and what to do: a LabStartError, or anything with the same two fields. */
	error: {message: string; fix: string};
	width: number;
};

/** Shown in place of the lab pane when the lab cannot start; the lessons' text still works. */
export function LabUnavailable({error, width}: LabUnavailableProps) {
	const {paint} = useTheme();
	return (
		<Box flexDirection="column" width={width} borderStyle="round" borderColor={paint('yellow')} paddingX={1}>
			<Text bold color={paint('yellow')}>
				The live lab cannot run here
			</Text>
			<Text>{error.message}</Text>
			<Box marginTop={1} flexDirection="column">
				<Text bold>To fix it:</Text>
				<Text>{error.fix}</Text>
			</Box>
			<Box marginTop={1}>
				<Text dimColor>The lessons' text still works; only the live packets, timers and drop are missing.</Text>
			</Box>
		</Box>
	);
}
