import stringWidth from 'string-width';
import {en, type Messages} from '../messages/messages.js';

/** Widths of the single characters measured so far: layouts measure text a character at a time. */
const charColumns = new Map<string, number>();

/** Columns a text takes in a terminal (a CJK character takes two). */
export function columnsOf(text: string): number {
	// One UTF-16 unit or a surrogate pair: a character (string-width segments even those, slowly).
	if (text.length > 2) return stringWidth(text);
	let columns = charColumns.get(text);
	if (columns === undefined) {
		columns = stringWidth(text);
		charColumns.set(text, columns);
	}

	return columns;
}

/** `text` followed by spaces up to `width` columns. */
export function padEnd(text: string, width: number): string {
	return text + ' '.repeat(Math.max(0, width - columnsOf(text)));
}

/** Spaces, then `text`, up to `width` columns. */
export function padStart(text: string, width: number): string {
	return ' '.repeat(Math.max(0, width - columnsOf(text))) + text;
}

/** The longest start of `text` that fits in `width` columns. */
export function cutTo(text: string, width: number): string {
	let out = '';
	let used = 0;
	for (const char of text) {
		const size = columnsOf(char);
		if (used + size > width) break;
		out += char;
		used += size;
	}

	return out;
}

/** Below this width the lab pane uses short labels ("S→C" instead of "server → client"). */
export const wideWidth = 60;

/** An event time, seconds with milliseconds, as the capture shows it. */
export function formatT(t: number): string {
	return t.toFixed(3);
}

/**
 * A duration from the kernel, in `units` (English unless told): "1.5 s" below 10 s, "54 s"
 * below 100 s, then "1m 54s" or "1h 59m 59s". Long waits in whole seconds: the screen then
 * changes once a second, not at every reading.
 */
export function formatSeconds(seconds: number, units: Messages['units'] = en.units): string {
	const s = Math.max(0, seconds);
	// Floored like the whole seconds below, so that 9.96 s reads "9.9 s", never "10.0 s".
	if (s < 10) return units.seconds((Math.floor(s * 10) / 10).toFixed(1));
	if (s < 100) return units.seconds(String(Math.floor(s)));
	const whole = Math.floor(s);
	const h = Math.floor(whole / 3600);
	const m = Math.floor((whole % 3600) / 60);
	const rest = String(whole % 60).padStart(2, '0');
	return h > 0 ? units.hours(h, String(m).padStart(2, '0'), rest) : units.minutes(m, rest);
}

/** A piece of a lab pane row with its own style (a colour name; the theme paints it). */
export type Segment = {text: string; color?: string | undefined; bold?: boolean; dim?: boolean; italic?: boolean; inverse?: boolean};

/**
 * A row's segments cut to `width` columns, by display width: a double-width character that
 * would straddle the edge goes whole. Cut here once per change of the row, so that Ink never
 * has to clip it (it would slice every clipped row again on every frame).
 */
export function cutSegments(segments: readonly Segment[], width: number): readonly Segment[] {
	let left = width;
	const fitted: Segment[] = [];
	for (const segment of segments) {
		const size = columnsOf(segment.text);
		if (size <= left) {
			fitted.push(segment);
			left -= size;
			continue;
		}

		const cut = cutTo(segment.text, left);
		if (cut !== '') fitted.push({...segment, text: cut});
		return fitted;
	}

	return segments;
}

/** Whether two rows draw the same: the same texts in the same styles. */
export function sameSegments(a: readonly Segment[], b: readonly Segment[]): boolean {
	return (
		a.length === b.length &&
		a.every((segment, index) => {
			const other = b[index]!;
			return (
				segment.text === other.text &&
				segment.color === other.color &&
				Boolean(segment.bold) === Boolean(other.bold) &&
				Boolean(segment.dim) === Boolean(other.dim) &&
				Boolean(segment.italic) === Boolean(other.italic) &&
				Boolean(segment.inverse) === Boolean(other.inverse)
			);
		})
	);
}

/** Whether two lists of rows draw the same, row for row. */
export function sameRows(a: ReadonlyArray<readonly Segment[]>, b: ReadonlyArray<readonly Segment[]>): boolean {
	return a.length === b.length && a.every((row, index) => sameSegments(row, b[index]!));
}

/** Puts segments side by side, separated by `gap`, starting a new line whenever the next one would not fit. */
export function packSegments(segments: Segment[], width: number, gap = '  '): Segment[][] {
	const lines: Segment[][] = [];
	let line: Segment[] = [];
	let used = 0;
	for (const segment of segments) {
		const needed = (line.length > 0 ? columnsOf(gap) : 0) + columnsOf(segment.text);
		if (line.length > 0 && used + needed > width) {
			lines.push(line);
			line = [];
			used = 0;
		}

		if (line.length > 0) {
			line.push({text: gap});
			used += columnsOf(gap);
		}

		line.push(segment);
		used += columnsOf(segment.text);
	}

	if (line.length > 0) lines.push(line);
	return lines;
}
