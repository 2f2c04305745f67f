import {Box} from 'ink';
import {memo} from 'react';
import {useMessages} from '../messages/messages-context.js';
import type {Line} from './markdown.js';
import type {PaneScreen} from './pane-screen.js';
import {StyledLines} from './StyledLines.js';

export type ScrolledPaneProps = {
	screen: PaneScreen;
	/** First text row shown, when the text is longer than the pane (clamped). */
	scroll: number;
	width: number;
	height: number;
};

/**
 * A laid-out pane (a lesson's or an exercise's): the header, the text from `scroll` on with a
 * row that says there is more, and the action under it.
 */
export const ScrolledPane = memo(function ScrolledPane({screen, scroll, width, height}: ScrolledPaneProps) {
	const {moreBelow, moreAbove} = useMessages().lesson;
	let {text} = screen;
	if (screen.maxScroll > 0) {
		const from = Math.min(Math.max(0, scroll), screen.maxScroll);
		const hint: Line = [{text: from < screen.maxScroll ? moreBelow : moreAbove, style: {dim: true}}];
		text = [...screen.text.slice(from, from + screen.textRows - 1), hint];
	}

	// Never more rows than the pane has: Ink would squeeze the rest on top of each other. Rows are
	// wrapped to the width, so nothing needs clipping (which costs Ink a cut of every row on every frame).
	const lines = [...screen.header, ...text, ...screen.action].slice(0, height);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<StyledLines lines={lines} width={width} />
		</Box>
	);
});
