import type {Line} from './markdown.js';

/** A pane's content laid out in rows: a lesson's, or an exercise's. */
export type PaneScreen = {
	/** Title and progress; always shown. */
	header: Line[];
	/** The text; scrolls when it does not fit. */
	text: Line[];
	/** What to do or watch for now, after a blank row on a pane tall enough; always shown under the text. */
	action: Line[];
	/** Rows the text gets (an indicator row included when it scrolls). */
	textRows: number;
	/** How far the text can scroll; 0 when it fits. */
	maxScroll: number;
};

/** From this pane height on, blank rows set the header, the title and the action apart; below it the text needs the rows more. */
export const spacedFrom = 12;

/** Whether the action stays in view under the text, leaving the text at least `textRows` rows (its scroll hint included). */
export function actionFits(header: Line[], action: Line[], height: number, textRows = 3): boolean {
	return action.length + textRows <= Math.max(1, height - header.length);
}

/** The rows of a pane `height` high: the action stays in view under the text; on a very small pane everything scrolls together. */
export function paneScreen(header: Line[], text: Line[], action: Line[], height: number, textRows = 3): PaneScreen {
	const room = Math.max(1, height - header.length);
	const together = !actionFits(header, action, height, textRows);
	const body = together ? [...text, ...action] : text;
	const under = together ? [] : action;
	const rows = room - under.length;
	const fits = body.length <= rows;
	const maxScroll = fits ? 0 : body.length - Math.max(1, rows - 1);
	return {header, text: body, action: under, textRows: rows, maxScroll};
}
