import type {EventEmitter} from 'node:events';
import chalk from 'chalk';
import {render} from 'ink-testing-library';
import {createElement, type ReactElement} from 'react';
import stringWidth from 'string-width';
import {afterEach, beforeEach} from 'vitest';
import {en, type Messages} from '../../source/ui/messages/messages.js';
import {MessagesProvider} from '../../source/ui/messages/messages-context.js';
import {ThemeProvider} from '../../source/ui/theme.js';

/** The rows of a frame, and their widths in terminal columns (a CJK character takes two). */
export function rows(frame: string | undefined): string[] {
	return (frame ?? '').split('\n');
}

export function columns(row: string): number {
	return stringWidth(row);
}

/**
 * Turns chalk's colour on for the tests of a describe block (vitest's output is no
 * terminal, so chalk — and with it Ink — would print no styles at all), then restores it.
 */
export function withChalkColours(): void {
	let level: typeof chalk.level;
	beforeEach(() => {
		level = chalk.level;
		chalk.level = 1;
	});
	afterEach(() => {
		chalk.level = level;
	});
}

/**
 * Renders a component below a ThemeProvider and a MessagesProvider, as the app draws it.
 * Colour is off unless asked for: most tests read the frame's text, and without colour the
 * marks carry meaning. English unless `messages` says otherwise.
 */
export function renderThemed(tree: ReactElement, color = false, messages: Messages = en) {
	return render(createElement(ThemeProvider, {color, children: createElement(MessagesProvider, {messages, children: tree})}));
}

/** ANSI SGR codes Ink prints for colours (30–37, 90–97 foreground; 40–47 background). */
export const anyColour = /\u001B\[(3[0-7]|9[0-7]|4[0-7])m/;

/**
 * Types keys into an Ink app, one by one, each taken before the next. Ink hands a key to the
 * app before write() returns; only a lone Escape waits for the event loop's next turn (it
 * could start an escape sequence). So one turn after each key, the app has taken it; what it
 * draws may come later (look for that with waitFor).
 */
export async function typeKeys(stdin: {write: (data: string) => void}, ...keys: string[]): Promise<void> {
	for (const key of keys) {
		stdin.write(key);
		await new Promise(resolve => setImmediate(resolve));
	}
}

/** Sets a test terminal's size, as a real one reports it, and tells Ink. */
export function resize(stdout: EventEmitter, width: number, height: number): void {
	Object.defineProperty(stdout, 'columns', {value: width, configurable: true});
	Object.defineProperty(stdout, 'rows', {value: height, configurable: true});
	stdout.emit('resize');
}
