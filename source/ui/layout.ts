/*
 * Where the panes go for a terminal of a given size. Pure, so that every size can be
 * checked without a terminal.
 */

export type Layout = {
	/** The lab pane under the lesson instead of beside it. */
	stacked: boolean;
	/** Rows the app draws: one less than the terminal, so that Ink never scrolls it. */
	rows: number;
	columns: number;
	lessonWidth: number;
	lessonHeight: number;
	/** 0 when the lesson has no lab. */
	labWidth: number;
	labHeight: number;
	/** Columns between the panes when side by side. */
	gap: number;
};

/** Below this width the lab pane goes under the lesson. */
export const stackBelow = 70;
/** The lesson text's widest and narrowest column count beside the lab. */
const lessonMin = 39;
const lessonMax = 60;
/** The longest lines read well alone. */
const readableMax = 76;
const hintRows = 1;

export function layout(columns: number, rows: number, hasLab: boolean): Layout {
	const width = Math.max(20, columns);
	const drawn = Math.max(8, rows - 1);
	const panes = drawn - hintRows;
	if (!hasLab) {
		return {stacked: false, rows: drawn, columns: width, lessonWidth: Math.min(width, readableMax), lessonHeight: panes, labWidth: 0, labHeight: 0, gap: 0};
	}

	if (width < stackBelow) {
		const labHeight = Math.min(16, Math.max(8, Math.floor(panes * 0.45)));
		return {
			stacked: true,
			rows: drawn,
			columns: width,
			lessonWidth: width,
			lessonHeight: Math.max(3, panes - labHeight),
			labWidth: width,
			labHeight,
			gap: 0,
		};
	}

	const gap = 1;
	const lessonWidth = Math.min(lessonMax, Math.max(lessonMin, Math.floor(width * 0.39)));
	return {
		stacked: false,
		rows: drawn,
		columns: width,
		lessonWidth,
		lessonHeight: panes,
		labWidth: width - lessonWidth - gap,
		labHeight: panes,
		gap,
	};
}
