import {Box, Text} from 'ink';
import {wrapWords} from './lab/format.js';
import {minColumns, minRows} from './layout.js';

/** In place of the tutorial while the terminal is too small for it; the app redraws once it grows. */
export function TooSmall({columns, rows}: {columns: number; rows: number}) {
	const message = `ka-tutorial needs at least ${minColumns}×${minRows}; this terminal is ${columns}×${rows} — make it bigger (q quits).`;
	// Wrapped here at spaces: Ink's own wrapping would start the next rows with a space.
	return (
		<Box flexDirection="column">
			{wrapWords(message, Math.max(1, columns)).map((line, row) => (
				// eslint-disable-next-line react/no-array-index-key
				<Text key={row}>{line}</Text>
			))}
		</Box>
	);
}
