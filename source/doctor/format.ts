import {columnsOf, padEnd} from '../ui/lab/format.js';
import type {Messages} from '../ui/messages/messages.js';
import type {Check} from './check.js';

type Words = Messages['doctor'];

const marks: Record<Check['status'], string> = {ok: '✓', warn: '!', fail: '✗'};
/** ANSI foreground colours: green, yellow, red. */
const colours: Record<Check['status'], number> = {ok: 32, warn: 33, fail: 31};

/**
 * `✓ name  detail`, and for a warning or a failure ` → fix`; the mark coloured when `color`.
 * The name is padded to the longest of the catalog's names, in terminal columns, so that
 * lines printed apart still line up.
 */
export function formatCheck({status, name, detail, fix}: Check, color: boolean, words: Words): string {
	const mark = color ? `\u001B[${colours[status]}m${marks[status]}\u001B[39m` : marks[status];
	const then = status !== 'ok' && fix ? ` → ${fix}` : '';
	const nameWidth = Math.max(...Object.values(words.names).map(columnsOf));
	return `${mark} ${padEnd(name, nameWidth)}  ${detail}${then}`;
}

/** The last line: whether the full tutorial will work here. */
export function verdict(checks: readonly Check[], words: Words): string {
	// Failures are not counted: one missing tool can fail two lines.
	if (checks.some(check => check.status === 'fail')) return words.willNotWork;
	return words.willWork(checks.filter(check => check.status === 'warn').length);
}
