import {Box} from 'ink';
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

/** A laid-out pane: the header, the text from `scroll` on with a row that says there is more, and the action under it. */
export function ScrolledPane({screen, scroll, width, height}: ScrolledPaneProps) {
	const {moreBelow, moreAbove} = useMessages().lesson;
	let {text} = screen;
	if (screen.maxScroll > 0) {
		const from = Math.min(Math.max(0, scroll), screen.maxScroll);
		const hint: Line = [{text: from < screen.maxScroll ? moreBelow : moreAbove, style: {dim: true}}];
		text = [...screen.text.slice(from, from + screen.textRows - 1), hint];
	}

	// Never more rows than the pane has: Ink would squeeze the rest on top of each other.
	const lines = [...screen.header, ...text, ...screen.action].slice(0, height);
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<StyledLines lines={lines} width={width} />
		</Box>
	);
}
