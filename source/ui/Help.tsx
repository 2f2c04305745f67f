import {Box} from 'ink';
import {colorsEnabled} from './lab/theme.js';
import {type Line, textWidth, wrapSpans} from './lesson/markdown.js';
import {StyledLines} from './lesson/StyledLines.js';

export type HelpProps = {
	lessonCount: number;
	width: number;
	height: number;
	color?: boolean;
};

/** The keys, in the order a learner needs them. */
export function helpKeys(lessonCount: number): Array<[keys: string, what: string]> {
	return [
		['→ space enter', 'next step'],
		['←', 'previous step'],
		['n p', 'next / previous lesson'],
		[`1–${lessonCount}`, 'go to that lesson'],
		['m', 'list of lessons'],
		['↑ ↓', 'scroll a long step'],
		['a b c …', 'answer a question'],
		['d …', 'the key a step asks for'],
		['r', 'restart the lab'],
		['?', 'this help'],
		['q Ctrl-C', 'quit (the lab stops first)'],
	];
}

/** The help overlay's lines in `width` columns. */
export function helpLines(lessonCount: number, width: number): Line[] {
	const keys = helpKeys(lessonCount);
	const column = Math.max(...keys.map(([key]) => textWidth(key))) + 2;
	const lines: Line[] = [[{text: 'Keys', style: {tone: 'title'}}], []];
	for (const [key, what] of keys) {
		if (column + 8 <= width) {
			lines.push(...wrapSpans([{text: what}], width, [{text: key.padEnd(column), style: {tone: 'key'}}], [{text: ' '.repeat(column)}]));
		} else {
			lines.push([{text: key, style: {tone: 'key'}}], ...wrapSpans([{text: what}], width, [{text: '  '}]));
		}
	}

	lines.push(
		[],
		...wrapSpans(
			[
				{
					text: 'The lab runs a real server and client in a private network namespace. Its processes and its firewall rule are gone when it stops; your host is never touched.',
				},
			],
			width,
		),
		[],
		[{text: 'Press any key to close.', style: {dim: true}}],
	);
	return lines;
}

/** The help overlay: every key, and what the lab does to this machine (nothing lasting). */
export function Help({lessonCount, width, height, color = colorsEnabled()}: HelpProps) {
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<StyledLines lines={helpLines(lessonCount, width)} width={width} color={color} />
		</Box>
	);
}
