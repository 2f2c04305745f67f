/**
 * Ink's log-update (ink/build/log-update.js), writing only the rows that changed since the
 * last frame. scripts/bundle.js puts it in Ink's place in the program users start.
 *
 * Why: Ink's writer erases and writes the whole frame every time. While a countdown shows
 * tenths that is ~22 KiB a second for the learner's terminal to parse, for the one row that
 * changed. Ink 6's `incrementalRendering` means to do the same, but after a frame that ends in
 * a newline (every frame of an app shorter than its terminal) it goes back up one row too few:
 * each frame lands a row lower and the old top row stays. Ink 7 corrects it; it needs Node 22.
 *
 * What a terminal shows is the same as with Ink's writer, cell for cell, after every frame
 * (test/e2e/log-update.test.tsx plays both into tmux).
 */
import cliCursor from 'cli-cursor';

type Position = {x: number; y: number};
type Stream = NodeJS.WriteStream;

const csi = '\u001B[';
const up = (rows: number) => (rows > 0 ? `${csi}${rows}A` : '');
const down = (rows: number) => (rows > 0 ? `${csi}${rows}B` : '');
const column = (x: number) => `${csi}${x + 1}G`;
const eraseLine = `${csi}2K`;
const eraseDown = `${csi}J`;
const showCursor = `${csi}?25h`;
const hideCursor = `${csi}?25l`;

/** A frame's rows: Ink ends a frame with a newline unless it fills the terminal. */
type Frame = {text: string; rows: string[]; newline: boolean};
const none: Frame = {text: '', rows: [], newline: true};

function frameOf(text: string): Frame {
	const newline = text.endsWith('\n');
	const rows = text.split('\n');
	if (newline) rows.pop();
	return {text, rows, newline};
}

/** The row the cursor rests on after a frame: under it, or on its last row when it ends without a newline. */
const bottomOf = (frame: Frame) => (frame.newline ? frame.rows.length : frame.rows.length - 1);

const samePosition = (a: Position | undefined, b: Position | undefined) => a?.x === b?.x && a?.y === b?.y;

export type LogUpdate = {
	(text: string): boolean;
	clear(): void;
	done(): void;
	sync(text: string): void;
	setCursorPosition(position: Position | undefined): void;
	isCursorDirty(): boolean;
	willRender(text: string): boolean;
};

/** Ink passes its `incrementalRendering` as `incremental`: here every frame is written row by row, whatever it says. */
function create(stream: Stream, {showCursor: keepCursor = false}: {showCursor?: boolean; incremental?: boolean} = {}): LogUpdate {
	let shown = none;
	let hidden = false;
	/** Where a component asked for the cursor (Ink's useCursor), and whether it asked since the last frame. */
	let wanted: Position | undefined;
	let dirty = false;
	/** Where the cursor was shown after the last frame; undefined: hidden, at the bottom. */
	let cursor: Position | undefined;

	const active = () => (dirty ? wanted : undefined);
	const toBottom = () => (cursor ? hideCursor + down(bottomOf(shown) - cursor.y) + column(0) : '');
	const toTop = () => (shown.rows.length > 0 ? up(bottomOf(shown)) + column(0) : '');
	const place = (frame: Frame, at: Position | undefined) => (at ? up(bottomOf(frame) - at.y) + column(at.x) + showCursor : '');

	/** From the top of the shown frame: the rows of `next` that differ, the others stepped over. */
	function rowsOf(next: Frame): string {
		// A frame without the closing newline fills the terminal: drawn whole, as Ink draws it.
		if (!next.newline || !shown.newline) return eraseDown + next.text;
		let text = '';
		// Every row starts at column 0: the top was reached with column(0), each next row by a newline.
		for (const [index, row] of next.rows.entries()) {
			// Erased before it is written: a row as wide as the terminal leaves the cursor in the
			// pending wrap, where erasing to the end of the line would take its last character.
			text += (row === shown.rows[index] ? '' : eraseLine + row) + '\n';
		}

		return next.rows.length < shown.rows.length ? text + eraseDown : text;
	}

	const render = ((text: string) => {
		if (!keepCursor && !hidden) {
			cliCursor.hide(stream);
			hidden = true;
		}

		const at = active();
		dirty = false;
		if (text === shown.text && samePosition(at, cursor)) return false;
		const next = frameOf(text);
		const rows = text === shown.text ? '' : toTop() + rowsOf(next);
		stream.write(toBottom() + rows + place(next, at));
		shown = next;
		cursor = at;
		return true;
	}) as LogUpdate;

	render.clear = () => {
		if (shown.rows.length > 0 || cursor) stream.write(toBottom() + toTop() + eraseDown);
		shown = none;
		cursor = undefined;
	};

	render.done = () => {
		shown = none;
		cursor = undefined;
		if (!keepCursor) {
			cliCursor.show(stream);
			hidden = false;
		}
	};

	// The frame is on the terminal already (Ink wrote it itself): only the cursor is put right.
	render.sync = (text: string) => {
		const at = active();
		dirty = false;
		const next = frameOf(text);
		if (!at && cursor) stream.write(hideCursor);
		if (at) stream.write(place(next, at));
		shown = next;
		cursor = at;
	};

	render.setCursorPosition = position => {
		wanted = position;
		dirty = true;
	};

	render.isCursorDirty = () => dirty;
	render.willRender = text => text !== shown.text || !samePosition(active(), cursor);
	return render;
}

export default {create};
