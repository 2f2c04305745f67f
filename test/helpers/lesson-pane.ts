import stringWidth from 'string-width';
import {expect} from 'vitest';
import {waitUntil} from './cli.js';
import {expectNothingLeft, type Session} from './tmux-tutorial.js';

/** The lesson pane's width beside the lab (the layout at 80 and 100 columns); the lab starts one blank column after it. */
export const paneColumns = 39;

/** The lesson pane's text: each row's first columns, whatever the lab pane beside it shows. */
export function paneOf(screen: string): string[] {
	return screen.split('\n').map(row => {
		let used = 0;
		let text = '';
		for (const char of row) {
			used += stringWidth(char);
			if (used > paneColumns) break;
			text += char;
		}

		return text.trimEnd();
	});
}

/**
 * The pane's text as one string, so that a sentence matches wherever the pane wrapped it:
 * English with each run of white space as one space; Chinese, which wraps between any two
 * characters, with none.
 */
export function flowOf(screen: string, lang: 'en' | 'zh' = 'en'): string {
	const text = paneOf(screen).join('\n');
	return lang === 'en' ? text.replaceAll(/\s+/g, ' ') : text.replaceAll(/\s+/g, '');
}

/**
 * Waits until the lesson pane's flowing text matches (and `accept` takes the match: a live
 * fact may still show an older reading), bounded; gives the match, fails with the last screen.
 */
export async function seePane(
	session: Session,
	lang: 'en' | 'zh',
	pattern: RegExp,
	timeoutMs = 15_000,
	accept = (_match: RegExpExecArray) => true,
): Promise<RegExpExecArray> {
	let screen = '';
	let match: RegExpExecArray | null = null;
	try {
		await waitUntil(
			() => {
				session.record();
				screen = session.screen();
				match = pattern.exec(flowOf(screen, lang));
				return match !== null && accept(match);
			},
			timeoutMs,
			`${String(pattern)} in the lesson pane`,
		);
	} catch (error) {
		throw new Error(`${(error as Error).message}; the screen:\n${screen}`);
	}

	return match!;
}

/** Every row within the terminal, and the step whole: no scrolling needed. */
export function expectFits(screen: string, width: number): void {
	for (const row of screen.split('\n')) expect(stringWidth(row), row).toBeLessThanOrEqual(width);
	expect(screen, 'the step needs no scrolling').not.toContain('↓');
}

/** Quits with q: the tutorial, its agents, the peers (and a NAT router's keeper), and every namespace of the lesson's runs end. */
export async function quitLeavingNothing(session: Session): Promise<void> {
	session.record();
	session.keys('q');
	await expectNothingLeft(session, 0, {atLeast: 3});
}
