import {Box} from 'ink';
import {columnsOf, padEnd} from './lab/format.js';
import {helpLinesFor} from './keys/key-lookup.js';
import {type Line, wrapSpans} from './lesson/markdown.js';
import {StyledLines} from './lesson/StyledLines.js';

export type HelpProps = {
	lessonCount: number;
	width: number;
	height: number;
};

const about =
	'The lab runs a real server and client in a private network namespace. Its processes and its firewall rule are gone when it stops; your host is never touched.';

/**
 * The help overlay's lines in `width` columns and at most `height` rows. Short of rows,
 * the blank rows go first, then the note on the lab, then "press any key" (the key hints
 * say it too); every key stays.
 */
export function helpLines(lessonCount: number, width: number, height = Number.POSITIVE_INFINITY): Line[] {
	const entries = helpLinesFor(lessonCount);
	const column = Math.max(...entries.map(({keys}) => columnsOf(keys))) + 2;
	const keyLines: Line[] = [];
	for (const {keys: key, what} of entries) {
		if (column + 8 <= width) {
			keyLines.push(...wrapSpans([{text: what}], width, [{text: padEnd(key, column), style: {tone: 'key'}}], [{text: ' '.repeat(column)}]));
		} else {
			keyLines.push([{text: key, style: {tone: 'key'}}], ...wrapSpans([{text: what}], width, [{text: '  '}]));
		}
	}

	const title: Line = [{text: 'Keys', style: {tone: 'title'}}];
	const note = wrapSpans([{text: about}], width);
	const close: Line = [{text: 'Press any key to close.', style: {dim: true}}];
	const choices: Line[][] = [
		[title, [], ...keyLines, [], ...note, [], close],
		[title, ...keyLines, ...note, close],
		[title, ...keyLines, close],
	];
	return choices.find(lines => lines.length <= height) ?? [title, ...keyLines];
}

/** The help overlay: every key, and what the lab does to this machine (nothing lasting). */
export function Help({lessonCount, width, height}: HelpProps) {
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<StyledLines lines={helpLines(lessonCount, width, height).slice(0, height)} width={width} />
		</Box>
	);
}
