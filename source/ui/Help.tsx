import {Box} from 'ink';
import {columnsOf, padEnd} from './lab/format.js';
import {helpLinesFor, type Screen} from './keys/key-lookup.js';
import {type Line, wrapSpans} from './lesson/markdown.js';
import {StyledLines} from './lesson/StyledLines.js';
import type {Messages} from './messages/messages.js';
import {useMessages} from './messages/messages-context.js';

export type HelpProps = {
	lessonCount: number;
	/** Whose keys: the lesson's (default) or the exercise's. */
	screen?: Screen;
	width: number;
	height: number;
};

/**
 * The help overlay's lines in `width` columns and at most `height` rows. Short of rows,
 * the blank rows go first, then the note on the lab, then "press any key" (the key hints
 * say it too); every key stays.
 */
export function helpLines(lessonCount: number, width: number, height: number, messages: Messages, screen: Screen = 'lesson'): Line[] {
	const entries = helpLinesFor(lessonCount, messages, screen);
	const column = Math.max(...entries.map(({keys}) => columnsOf(keys))) + 2;
	const keyLines: Line[] = [];
	for (const {keys: key, what} of entries) {
		if (column + 8 <= width) {
			keyLines.push(...wrapSpans([{text: what}], width, [{text: padEnd(key, column), style: {tone: 'key'}}], [{text: ' '.repeat(column)}]));
		} else {
			keyLines.push([{text: key, style: {tone: 'key'}}], ...wrapSpans([{text: what}], width, [{text: '  '}]));
		}
	}

	const words = messages.help;
	const title: Line = [{text: words.title, style: {tone: 'title'}}];
	const note = wrapSpans([{text: words.about}], width);
	const close: Line = [{text: words.close, style: {dim: true}}];
	const choices: Line[][] = [
		[title, [], ...keyLines, [], ...note, [], close],
		[title, ...keyLines, ...note, close],
		[title, ...keyLines, close],
	];
	return choices.find(lines => lines.length <= height) ?? [title, ...keyLines];
}

/** The help overlay: every key of the screen under it, and what the lab does to this machine (nothing lasting). */
export function Help({lessonCount, screen = 'lesson', width, height}: HelpProps) {
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<StyledLines lines={helpLines(lessonCount, width, height, useMessages(), screen).slice(0, height)} width={width} />
		</Box>
	);
}
