import {Box} from 'ink';
import {type LessonScreenInput, lessonScreen} from './lesson-screen.js';
import type {Line} from './markdown.js';
import {StyledLines} from './StyledLines.js';

export type LessonPaneProps = LessonScreenInput & {
	/** First text row shown, when the text is longer than the pane (clamped). */
	scroll?: number;
};

function scrollHint(below: boolean): Line {
	return [{text: `${below ? '↓ more below' : '↑ more above'} (↑/↓ scroll)`, style: {dim: true}}];
}

/** The current lesson: title and progress, the step's text, and what to do or watch for now. */
export function LessonPane({scroll = 0, ...input}: LessonPaneProps) {
	const screen = lessonScreen(input);
	const width = Math.max(10, input.width);
	let text = screen.text;
	if (screen.maxScroll > 0) {
		const from = Math.min(Math.max(0, scroll), screen.maxScroll);
		const visible = screen.textRows - 1;
		text = [...screen.text.slice(from, from + visible), scrollHint(from < screen.maxScroll)];
	}

	// Never more rows than the pane has: Ink would squeeze the rest on top of each other.
	const lines = [...screen.header, ...text, ...screen.action].slice(0, input.height);
	return (
		<Box flexDirection="column" width={width} height={input.height} overflow="hidden">
			<StyledLines lines={lines} width={width} />
		</Box>
	);
}
