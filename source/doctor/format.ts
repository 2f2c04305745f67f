import type {Check} from './check.js';

const marks: Record<Check['status'], string> = {ok: '✓', warn: '!', fail: '✗'};
/** ANSI foreground colours: green, yellow, red. */
const colours: Record<Check['status'], number> = {ok: 32, warn: 33, fail: 31};
/** Wide enough for the longest name ("user namespaces", "keepalive probe"), so that lines printed apart still line up. */
const nameWidth = 15;

/** `✓ name  detail`, and for a warning or a failure ` → fix`; the mark coloured when `color`. */
export function formatCheck({status, name, detail, fix}: Check, color: boolean): string {
	const mark = color ? `\u001B[${colours[status]}m${marks[status]}\u001B[39m` : marks[status];
	const then = status !== 'ok' && fix ? ` → ${fix}` : '';
	return `${mark} ${name.padEnd(nameWidth)}  ${detail}${then}`;
}

/** The last line: whether the full tutorial will work here. */
export function verdict(checks: readonly Check[]): string {
	// Failures are not counted: one missing tool can fail two lines.
	if (checks.some(check => check.status === 'fail')) return 'The full tutorial will not work here until the ✗ lines are fixed.';
	const warned = checks.filter(check => check.status === 'warn').length;
	return `The full tutorial will work here${warned > 0 ? ` (${warned} warning${warned === 1 ? '' : 's'}, marked !)` : ''}.`;
}
