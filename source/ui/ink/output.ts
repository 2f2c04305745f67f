/**
 * Ink's Output (ink/build/output.js), drawn row by row: a row whose writes are the same
 * as in the previous frame is not drawn again. scripts/bundle.js puts this class in
 * Ink's place in the program users start.
 *
 * Why: Ink makes a new Output for every frame and rasterizes the whole screen in it,
 * every line tokenized for its ANSI codes, every cell an object, every row turned back
 * into a string. While a countdown shows tenths (ten frames a second, one row changing)
 * that was about 40 % of the tutorial's CPU time. The text is the same as Ink's, character for
 * character (test/unit/ink-swaps.test.ts draws both).
 */
import {type StyledChar, styledCharsFromTokens, styledCharsToString, tokenize} from '@alcalzone/ansi-tokenize';
import sliceAnsi from 'slice-ansi';
import {widthOf} from './text-width.js';
import widestLine from './widest-line.js';

type Clip = {x1?: number; x2?: number; y1?: number; y2?: number};
type Transformer = (line: string, index: number) => string;
type Operation = {type: 'write'; x: number; y: number; text: string; transformers: Transformer[]} | {type: 'clip'; clip: Clip} | {type: 'unclip'};

/** A line's cells and their widths in columns: the same object for as long as the line is drawn. */
type Cells = {chars: StyledChar[]; widths: number[]};
/** One line drawn at column x of a row. */
type Placement = {x: number; cells: Cells};
type Row = {placements: Placement[]; text: string};

/**
 * The cells of the lines the last frame drew, and of those this frame has drawn so far:
 * only lines still on the screen are kept (a line's cells take about 20 KiB, and a
 * ticking countdown makes ten new lines a second).
 */
let lastFrameCells = new Map<string, Cells>();
let frameCells = new Map<string, Cells>();

function cellsOf(line: string): Cells {
	let cells = frameCells.get(line) ?? lastFrameCells.get(line);
	if (!cells) {
		const chars = styledCharsFromTokens(tokenize(line));
		cells = {chars, widths: chars.map(char => Math.max(1, widthOf(char.value)))};
	}

	frameCells.set(line, cells);
	return cells;
}

/** The previous frame's rows, reused where a row's placements are the same. */
let previous: {width: number; rows: Row[]} | undefined;

const samePlacements = (a: Placement[], b: Placement[]) => a.length === b.length && a.every((placement, i) => placement.x === b[i]!.x && placement.cells === b[i]!.cells);

/** A row as Ink draws it: blanks, each placement over them in order, then one string. */
function drawRow(width: number, placements: Placement[]): string {
	const row: StyledChar[] = [];
	for (let x = 0; x < width; x++) row.push({type: 'char', value: ' ', fullWidth: false, styles: []});
	for (const {x, cells} of placements) {
		let offsetX = x;
		for (const [i, char] of cells.chars.entries()) {
			row[offsetX] = char;
			const width = cells.widths[i]!;
			// A wide character's second column: empty, in its style.
			for (let column = 1; column < width; column++) row[offsetX + column] = {type: 'char', value: '', fullWidth: false, styles: char.styles};
			offsetX += width;
		}
	}

	// A write left of column 0 or past a gap leaves holes, which Ink skips.
	return styledCharsToString(row.filter(item => item !== undefined)).trimEnd();
}

export default class Output {
	width: number;
	height: number;
	operations: Operation[] = [];

	constructor({width, height}: {width: number; height: number}) {
		this.width = width;
		this.height = height;
	}

	write(x: number, y: number, text: string, {transformers}: {transformers: Transformer[]}): void {
		if (!text) return;
		this.operations.push({type: 'write', x, y, text, transformers});
	}

	clip(clip: Clip): void {
		this.operations.push({type: 'clip', clip});
	}

	unclip(): void {
		this.operations.push({type: 'unclip'});
	}

	get(): {output: string; height: number} {
		const placements: Placement[][] = Array.from({length: this.height}, () => []);
		const clips: Clip[] = [];
		for (const operation of this.operations) {
			if (operation.type === 'clip') clips.push(operation.clip);
			else if (operation.type === 'unclip') clips.pop();
			else this.place(operation, clips.at(-1), placements);
		}

		const reusable = previous?.width === this.width ? previous.rows : [];
		const rows = placements.map((row, y): Row => {
			const before = reusable[y];
			return before && samePlacements(before.placements, row) ? before : {placements: row, text: drawRow(this.width, row)};
		});
		previous = {width: this.width, rows};
		lastFrameCells = frameCells;
		frameCells = new Map();
		return {output: rows.map(row => row.text).join('\n'), height: rows.length};
	}

	/** Where a write's lines land, clipped as Ink clips them. */
	private place({x: writeX, y: writeY, text, transformers}: Extract<Operation, {type: 'write'}>, clip: Clip | undefined, placements: Placement[][]): void {
		let x = writeX;
		let y = writeY;
		let lines = text.split('\n');
		if (clip) {
			const horizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
			const vertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
			if (horizontally && (x + widestLine(text) < clip.x1! || x > clip.x2!)) return;
			if (vertically && (y + lines.length < clip.y1! || y > clip.y2!)) return;
			if (horizontally) {
				const {x1, x2} = clip as Required<Clip>;
				lines = lines.map(line => {
					const width = widthOf(line);
					return sliceAnsi(line, x < x1 ? x1 - x : 0, x + width > x2 ? x2 - x : width);
				});
				if (x < x1) x = x1;
			}

			if (vertically) {
				const {y1, y2} = clip as Required<Clip>;
				lines = lines.slice(y < y1 ? y1 - y : 0, y + lines.length > y2 ? y2 - y : lines.length);
				if (y < y1) y = y1;
			}
		}

		let offsetY = 0;
		for (let [index, line] of lines.entries()) {
			const row = placements[y + offsetY];
			// As in Ink: a line outside the frame holds the ones after it there too.
			if (!row) continue;
			for (const transformer of transformers) line = transformer(line, index);
			row.push({x, cells: cellsOf(line)});
			offsetY++;
		}
	}
}
