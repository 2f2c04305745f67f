import {Box, Text} from 'ink';
import {minColumns, minRows} from './layout.js';
import {wrapSpans} from './lesson/markdown.js';
import {useMessages} from './messages/messages-context.js';

/** In place of the tutorial while the terminal is too small for it; the app redraws once it grows. */
export function TooSmall({columns, rows}: {columns: number; rows: number}) {
	const message = useMessages().app.tooSmall(minColumns, minRows, columns, rows);
	// Wrapped here (at spaces, and between CJK characters): Ink's own wrapping would start the next rows with a space.
	return (
		<Box flexDirection="column">
			{wrapSpans([{text: message}], Math.max(1, columns)).map((line, row) => (
				// eslint-disable-next-line react/no-array-index-key
				<Text key={row}>{line.map(span => span.text).join('')}</Text>
			))}
		</Box>
	);
}
