/*
 * The light Markdown of lesson text (lessons/FORMAT.md), turned into styled lines that
 * fit a width. Pure: the same text and width always give the same lines, so the pane
 * knows exactly how many rows a step takes and can scroll it.
 *
 * Supported: paragraphs, `- ` / `1. ` list items, fenced code blocks, `inline code`,
 * *emphasis*, **strong**, `#` headings (shown strong). Live values from the lab arrive
 * wrapped in the markers below (see markFacts) and are styled apart from the prose.
 */

import {columnsOf} from '../lab/format.js';

export type Style = {
	code?: boolean;
	em?: boolean;
	strong?: boolean;
	/** A value read from the lab or the host. */
	fact?: boolean;
	/** A value the lab has not reported yet. */
	missing?: boolean;
	dim?: boolean;
	/** A meaning, mapped to a colour by the view. */
	tone?: Tone;
};

export type Tone = 'title' | 'key' | 'ok' | 'bad' | 'warn';

export type Span = {text: string; style?: Style};
/** One row of the pane. */
export type Line = Span[];

export type Block =
	| {type: 'paragraph'; spans: Span[]}
	| {type: 'item'; marker: string; indent: number; spans: Span[]}
	| {type: 'code'; lines: string[]}
	| {type: 'blank'};

/** Marks a known fact's value in rendered text. */
export const factOpen = '\u0001';
/** Marks the placeholder of a fact not known yet. */
export const missingOpen = '\u0003';
export const factClose = '\u0002';

/** The facts with their values wrapped in markers, for renderText: the parser styles them as facts. */
export function markFacts(facts: Record<string, string>): Record<string, string> {
	const marked: Record<string, string> = {};
	for (const [name, value] of Object.entries(facts)) marked[name] = `${factOpen}${value}${factClose}`;
	return marked;
}

/** What renderText should show for a missing fact, so that the parser styles it. */
export const markedMissing = `${missingOpen}…${factClose}`;

/** Removes the fact markers (for text that is not parsed, such as a title). */
export function unmark(text: string): string {
	return text.replaceAll(factOpen, '').replaceAll(missingOpen, '').replaceAll(factClose, '');
}

const fencePattern = /^\s{0,3}(`{3,}|~{3,})/;
const itemPattern = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/;
const headingPattern = /^#{1,6}\s+(.*?)\s*#*\s*$/;

/** Splits step text into blocks; lines of a paragraph are already joined by the lesson parser. */
export function parseBlocks(text: string): Block[] {
	const blocks: Block[] = [];
	let fence: string | null = null;
	let code: string[] = [];
	const blank = () => {
		if (blocks.length > 0 && blocks.at(-1)?.type !== 'blank') blocks.push({type: 'blank'});
	};

	for (const line of text.split('\n')) {
		const fenceMatch = fencePattern.exec(line);
		if (fence !== null) {
			if (fenceMatch && line.trim().startsWith(fence)) {
				blocks.push({type: 'code', lines: code});
				fence = null;
				code = [];
			} else {
				code.push(line);
			}

			continue;
		}

		if (fenceMatch) {
			fence = fenceMatch[1]!;
			continue;
		}

		if (line.trim() === '') {
			blank();
			continue;
		}

		const item = itemPattern.exec(line);
		if (item) {
			const marker = /\d/.test(item[2]!) ? item[2]! : '•';
			blocks.push({type: 'item', marker, indent: Math.floor(item[1]!.length / 2), spans: parseInline(item[3]!)});
			continue;
		}

		const heading = headingPattern.exec(line);
		if (heading) {
			blocks.push({type: 'paragraph', spans: parseInline(heading[1]!).map(span => ({...span, style: {...span.style, strong: true}}))});
			continue;
		}

		blocks.push({type: 'paragraph', spans: parseInline(line.trim())});
	}

	// An unclosed fence (the lesson parser rejects those) still shows its lines.
	if (fence !== null) blocks.push({type: 'code', lines: code});
	while (blocks.at(-1)?.type === 'blank') blocks.pop();
	return blocks;
}

const isSpace = (char: string | undefined) => char === undefined || /\s/.test(char);

/** Inline Markdown of one line: `code`, *em*, **strong**, and the fact markers. */
export function parseInline(text: string): Span[] {
	const spans: Span[] = [];
	const chars = [...text];
	let code = false;
	let em = false;
	let strong = false;
	let fact: 'fact' | 'missing' | null = null;
	let buffer = '';
	const style = (): Style | undefined => {
		const s: Style = {};
		if (code) s.code = true;
		if (em) s.em = true;
		if (strong) s.strong = true;
		if (fact === 'fact') s.fact = true;
		if (fact === 'missing') s.missing = true;
		return Object.keys(s).length > 0 ? s : undefined;
	};

	const flush = () => {
		if (buffer === '') return;
		const s = style();
		spans.push(s ? {text: buffer, style: s} : {text: buffer});
		buffer = '';
	};

	const closes = (from: number, marker: string) => {
		const rest = chars.slice(from).join('');
		const at = rest.indexOf(marker);
		return at > 0 && !isSpace(rest[at - 1]);
	};

	for (let i = 0; i < chars.length; i++) {
		const char = chars[i]!;
		if (char === factOpen || char === missingOpen) {
			flush();
			fact = char === factOpen ? 'fact' : 'missing';
			continue;
		}

		if (char === factClose) {
			flush();
			fact = null;
			continue;
		}

		// A fact's value is shown as it is, whatever characters it holds.
		if (fact !== null) {
			buffer += char;
			continue;
		}

		if (char === '`') {
			if (code) {
				flush();
				code = false;
				continue;
			}

			if (chars.slice(i + 1).includes('`')) {
				flush();
				code = true;
				continue;
			}
		}

		if (!code && char === '*') {
			const double = chars[i + 1] === '*';
			if (double && strong && !isSpace(chars[i - 1])) {
				flush();
				strong = false;
				i++;
				continue;
			}

			if (double && !strong && !isSpace(chars[i + 2]) && closes(i + 2, '**')) {
				flush();
				strong = true;
				i++;
				continue;
			}

			if (!double && em && !isSpace(chars[i - 1])) {
				flush();
				em = false;
				continue;
			}

			if (!double && !em && !isSpace(chars[i + 1]) && closes(i + 1, '*')) {
				flush();
				em = true;
				continue;
			}
		}

		buffer += char;
	}

	flush();
	return spans;
}

/** Columns a text takes. Lesson text is single-width characters (ASCII, arrows, − and ×). */
export function textWidth(text: string): number {
	return columnsOf(text);
}

export function lineWidth(line: Line): number {
	return line.reduce((sum, span) => sum + textWidth(span.text), 0);
}

type Word = Span[];

function sameStyle(a?: Style, b?: Style): boolean {
	return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
}

/** Joins neighbouring spans of the same style. */
export function merge(line: Line): Line {
	const out: Line = [];
	for (const span of line) {
		if (span.text === '') continue;
		const last = out.at(-1);
		if (last && sameStyle(last.style, span.style)) out[out.length - 1] = {...last, text: last.text + span.text};
		else out.push(span);
	}

	return out;
}

/** Splits spans into words (runs without spaces, possibly of several styles). */
function words(spans: Span[]): Word[] {
	const result: Word[] = [];
	let current: Word = [];
	for (const span of spans) {
		const parts = span.text.split(/(\s+)/);
		for (const part of parts) {
			if (part === '') continue;
			if (/^\s+$/.test(part)) {
				if (current.length > 0) result.push(current);
				current = [];
			} else {
				current.push(span.style ? {text: part, style: span.style} : {text: part});
			}
		}
	}

	if (current.length > 0) result.push(current);
	return result;
}

/** Cuts a word into pieces of at most `width` columns. */
function breakWord(word: Word, width: number): Word[] {
	const pieces: Word[] = [];
	let piece: Word = [];
	let used = 0;
	for (const span of word) {
		for (const char of span.text) {
			// A double-width character that would stick out starts the next piece.
			const size = columnsOf(char);
			if (used > 0 && used + size > width) {
				pieces.push(piece);
				piece = [];
				used = 0;
			}

			piece.push(span.style ? {text: char, style: span.style} : {text: char});
			used += size;
		}
	}

	if (piece.length > 0) pieces.push(piece);
	return pieces.map(merge);
}

/**
 * Word-wraps spans to `width` columns. The first line starts with `first`, the others
 * with `rest` (a hanging indent); words longer than a line are cut.
 */
export function wrapSpans(spans: Span[], width: number, first: Line = [], rest: Line = first): Line[] {
	const lines: Line[] = [];
	let prefix = first;
	let line: Line = [...prefix];
	let used = 0;
	const room = () => Math.max(1, width - lineWidth(prefix));
	const newLine = () => {
		lines.push(merge(line));
		prefix = rest;
		line = [...prefix];
		used = 0;
	};

	for (const word of words(spans)) {
		const size = lineWidth(word);
		if (used > 0 && used + 1 + size <= room()) {
			line.push({text: ' '}, ...word);
			used += 1 + size;
			continue;
		}

		if (used > 0) newLine();
		if (size <= room()) {
			line.push(...word);
			used = size;
			continue;
		}

		const pieces = breakWord(word, room());
		for (const [index, piece] of pieces.entries()) {
			if (index > 0) newLine();
			line.push(...piece);
			used = lineWidth(piece);
		}
	}

	if (used > 0 || lines.length === 0) lines.push(merge(line));
	return lines;
}

/** A code line as it is; cut into rows of `width` when longer. */
function codeRows(text: string, width: number, style: Style): Line[] {
	if (text === '') return [[]];
	return breakWord([{text, style}], width);
}

/** Lays the blocks out in `width` columns. */
export function layoutBlocks(blocks: Block[], width: number): Line[] {
	const lines: Line[] = [];
	for (const block of blocks) {
		switch (block.type) {
			case 'blank': {
				lines.push([]);
				break;
			}

			case 'paragraph': {
				lines.push(...wrapSpans(block.spans, width));
				break;
			}

			case 'item': {
				const indent = '  '.repeat(block.indent);
				const marker = `${indent}${block.marker} `;
				lines.push(...wrapSpans(block.spans, width, [{text: marker}], [{text: ' '.repeat(textWidth(marker))}]));
				break;
			}

			case 'code': {
				for (const text of block.lines) lines.push(...codeRows(text, width, {code: true}));
				break;
			}
		}
	}

	return lines;
}

/** Step text (Markdown, facts already filled in) as lines of `width` columns. */
export function markdownLines(text: string, width: number): Line[] {
	return layoutBlocks(parseBlocks(text), width);
}
