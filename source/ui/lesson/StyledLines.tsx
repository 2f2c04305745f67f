import {Box, Text} from 'ink';
import {memo} from 'react';
import {type Theme, useTheme} from '../theme.js';
import {type Line, sameLine, type Span, type Style, type Tone} from './markdown.js';

const toneColours: Record<Tone, string> = {
	title: 'cyan',
	key: 'cyan',
	ok: 'green',
	bad: 'red',
	warn: 'yellow',
};

/** Ink's text props for a style. Without colour, code and keys stay apart through bold. */
export function styleProps(style: Style | undefined, {color, paint}: Theme) {
	if (!style) return {};
	const colour = style.tone ? toneColours[style.tone] : style.code ? 'cyan' : style.fact ? 'green' : undefined;
	return {
		color: paint(colour),
		bold: Boolean(style.strong || (style.tone === 'key' || style.tone === 'title') || (!color && style.code)),
		italic: Boolean(style.em),
		dimColor: Boolean(style.dim || style.missing),
	};
}

function SpanText({span}: {span: Span}) {
	const theme = useTheme();
	return <Text {...styleProps(span.style, theme)}>{span.text}</Text>;
}

/** One row, drawn again only when its text or styles change (a fact in it, not the lab beside it). */
const StyledLine = memo(
	function StyledLine({line}: {line: Line}) {
		return (
			<Text wrap="truncate-end">
				{line.length === 0 ? ' ' : line.map((span, index) => <SpanText key={index} span={span} />)}
			</Text>
		);
	},
	(before, after) => sameLine(before.line, after.line),
);

/** Pre-wrapped lines, one row each (never wrapped again by Ink). */
export function StyledLines({lines, width}: {lines: readonly Line[]; width: number}) {
	return (
		<Box flexDirection="column" width={width}>
			{lines.map((line, row) => (
				// Rows have no identity of their own; their position is their key.
				// eslint-disable-next-line react/no-array-index-key
				<StyledLine key={row} line={line} />
			))}
		</Box>
	);
}
