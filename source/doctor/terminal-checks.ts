import {minColumns, minRows, stackBelow} from '../ui/layout.js';
import type {Messages} from '../ui/messages/messages.js';
import type {Check} from './check.js';

/** What the doctor knows of the terminal it prints to. */
export type TerminalFacts = {
	/** Whether stdout is a terminal. */
	isTTY: boolean;
	columns?: number;
	rows?: number;
	/** Bits per colour as tty.WriteStream.getColorDepth() reports it (1: no colour; it heeds NO_COLOR, FORCE_COLOR and TERM). */
	colorDepth?: number;
};

/** The size the tutorial's screens are laid out for: the lab pane beside the lesson, no step scrolled. */
export const roomySize = {columns: 80, rows: 24} as const;

const roomy = `${roomySize.columns}×${roomySize.rows}`;

type Words = Messages['doctor'];

function sizeCheck(columns: number, rows: number, words: Words): Check {
	const name = words.names.size;
	const size = `${columns}×${rows}`;
	const fix = words.sizeFix(roomy);
	if (columns < minColumns || rows < minRows) return {status: 'fail', name, detail: words.sizeTooSmall(size, `${minColumns}×${minRows}`), fix};
	if (columns < roomySize.columns || rows < roomySize.rows) {
		return {status: 'warn', name, detail: columns < stackBelow ? words.sizeStacked(size, stackBelow) : words.sizeScrolls(size), fix};
	}

	return {status: 'ok', name, detail: words.sizeOk(size, roomy)};
}

function colourCheck(depth: number, words: Words): Check {
	const name = words.names.colours;
	if (depth >= 24) return {status: 'ok', name, detail: words.trueColour};
	if (depth > 1) return {status: 'ok', name, detail: words.colours(String(2 ** depth))};
	return {status: 'warn', name, detail: words.noColours, fix: words.coloursFix};
}

/**
 * stdout a terminal, its size, its colours. Piped (an instructor's `doctor | tee`), there
 * is no terminal to measure: one warning, which does not fail the run.
 */
export function terminalChecks(terminal: TerminalFacts, words: Words): Check[] {
	const name = words.names.terminal;
	if (!terminal.isTTY) return [{status: 'warn', name, detail: words.piped, fix: words.pipedFix}];
	return [
		{status: 'ok', name, detail: words.isTerminal},
		sizeCheck(terminal.columns ?? 0, terminal.rows ?? 0, words),
		colourCheck(terminal.colorDepth ?? 1, words),
	];
}
