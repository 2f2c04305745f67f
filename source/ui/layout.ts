/*
 * Where the panes go for a terminal of a given size. Pure, so that every size can be
 * checked without a terminal.
 */

export type Layout = {
	/** Smaller than minColumns × minRows: the app only says how big the terminal must be. */
	tooSmall: boolean;
	/** The lab pane under the lesson instead of beside it. */
	stacked: boolean;
	/** Rows the app draws: one less than the terminal, so that Ink never scrolls it. */
	rows: number;
	columns: number;
	/** Rows above the key hints. Stacked, an overlay (help, menu) takes them all, the lab's too. */
	paneRows: number;
	lessonWidth: number;
	lessonHeight: number;
	/** 0 when the lesson has no lab. */
	labWidth: number;
	labHeight: number;
	/** Columns between the panes when side by side. */
	gap: number;
};

/** The lesson text's narrowest and widest column count beside the lab (the lessons' code lines are at most 39). */
const lessonMin = 39;
const lessonMax = 60;
/** The lab pane's narrowest beside the lesson: its countdown and socket rows stay whole. */
const labMin = 40;
const gap = 1;
/** Below this width the lab pane goes under the lesson. */
export const stackBelow = lessonMin + gap + labMin;
/** The longest lines read well alone. */
const readableMax = 76;
const hintRows = 1;
/** The lesson pane's fewest rows: title, progress, three rows of text and the scroll hint, a blank row, a two-row prompt. */
export const minLessonRows = 9;
/** Stacked, the lab keeps at least a rule and the kernel's three countdowns. */
const minLabRows = 4;
/** Stacked, the lab's most rows (a rule, then status, countdowns, counters and packets). */
const maxLabRows = 16;

/**
 * The smallest terminal the tutorial can use: 40 columns keep the lessons' code lines and
 * a prompt's key whole; the rows are Ink's spare row, the key hints, the lesson and the lab
 * stacked under it. The help (13 rows at 40 columns) and the menu fit in those pane rows.
 */
export const minColumns = 40;
export const minRows = 1 + hintRows + minLessonRows + minLabRows;

export function layout(columns: number, rows: number, hasLab: boolean): Layout {
	const drawn = Math.max(1, rows - 1);
	const paneRows = Math.max(0, drawn - hintRows);
	const base = {tooSmall: columns < minColumns || rows < minRows, stacked: false, rows: drawn, columns, paneRows, gap: 0};
	if (!hasLab) {
		return {...base, lessonWidth: Math.min(columns, readableMax), lessonHeight: paneRows, labWidth: 0, labHeight: 0};
	}

	if (columns < stackBelow) {
		const share = Math.min(maxLabRows, Math.max(minLabRows, Math.floor(paneRows * 0.45)));
		const labHeight = Math.max(0, Math.min(share, paneRows - minLessonRows));
		return {...base, stacked: true, lessonWidth: columns, lessonHeight: paneRows - labHeight, labWidth: columns, labHeight};
	}

	const lessonWidth = Math.min(lessonMax, Math.max(lessonMin, Math.floor(columns * 0.39)));
	return {...base, lessonWidth, lessonHeight: paneRows, labWidth: columns - lessonWidth - gap, labHeight: paneRows, gap};
}
