import {minColumns, minRows, stackBelow} from '../ui/layout.js';
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

function sizeCheck(columns: number, rows: number): Check {
	const name = 'terminal size';
	const size = `${columns}×${rows}`;
	if (columns < minColumns || rows < minRows) {
		return {status: 'fail', name, detail: `${size}: below ${minColumns}×${minRows} the tutorial only asks for a bigger window`, fix: `make the window ${roomy} or larger`};
	}

	if (columns < roomySize.columns || rows < roomySize.rows) {
		const why = columns < stackBelow ? `below ${stackBelow} columns the lab pane goes under the lesson` : 'long steps scroll';
		return {status: 'warn', name, detail: `${size}: the tutorial runs, but ${why}`, fix: `make the window ${roomy} or larger`};
	}

	return {status: 'ok', name, detail: `${size} (${roomy} or larger)`};
}

const depthNames: Record<number, string> = {4: '16 colours', 8: '256 colours', 24: '24-bit colour'};

function colourCheck(depth: number): Check {
	if (depth > 1) return {status: 'ok', name: 'colours', detail: depthNames[depth] ?? `${2 ** depth} colours`};
	return {
		status: 'warn',
		name: 'colours',
		detail: 'none (NO_COLOR is set, TERM=dumb, or the terminal has none): the tutorial still works, its marks (✗ * !) stand in for colour',
		fix: 'unset NO_COLOR, or use a terminal with colours',
	};
}

/**
 * stdout a terminal, its size, its colours. Piped (an instructor's `doctor | tee`), there
 * is no terminal to measure: one warning, which does not fail the run.
 */
export function terminalChecks(terminal: TerminalFacts): Check[] {
	if (!terminal.isTTY) {
		return [
			{
				status: 'warn',
				name: 'terminal',
				detail: 'stdout is not a terminal (piped or redirected), so its size and colours were not checked',
				fix: 'run ka-tutorial doctor in the terminal the tutorial will use',
			},
		];
	}

	return [{status: 'ok', name: 'terminal', detail: 'stdout is a terminal'}, sizeCheck(terminal.columns ?? 0, terminal.rows ?? 0), colourCheck(terminal.colorDepth ?? 1)];
}
