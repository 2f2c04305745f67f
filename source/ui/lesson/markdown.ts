/*
 * Lesson text, a Markdown tree (source/lessons/lesson-tree.ts), turned into styled lines
 * that fit a width. Pure: the same tree, facts and width always give the same lines, so
 * the pane knows exactly how many rows a step takes and can scroll it.
 *
 * Drawn: paragraphs, list items, fenced code blocks, `inline code`, *emphasis*,
 * **strong**, headings (shown strong), hard line breaks, and facts, styled apart from
 * the prose. The lesson parser lets nothing else through.
 */

import type {List, PhrasingContent, RootContent} from 'mdast';
import {missingFact} from '../../lessons/facts.js';
import {type Blocks, factsIn, type Inline} from '../../lessons/lesson-tree.js';
import type {Facts} from '../../lessons/types.js';
import {columnsOf} from '../lab/format.js';
import {breaksBetween} from './line-breaks.js';

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

/** Laid out one after the other; `indent` is the columns of the list item they belong to. */
type Block =
	| {type: 'paragraph'; spans: Span[]; indent: number}
	| {type: 'item'; marker: string; indent: number; spans: Span[]}
	| {type: 'code'; lines: string[]; indent: number}
	| {type: 'blank'};

type Marks = Omit<Style, 'dim' | 'tone'>;

/** A span, its style keys always in one order (merge compares styles). */
function span(text: string, marks: Marks): Span {
	const style: Style = {};
	for (const key of ['code', 'em', 'strong', 'fact', 'missing'] as const) if (marks[key]) style[key] = true;
	return Object.keys(style).length > 0 ? {text, style} : {text};
}

/** What inline nodes turn into: spans, and the hard line breaks between them. */
type Piece = Span | 'break';

function pieces(nodes: Inline, facts: Facts, marks: Marks): Piece[] {
	return nodes.flatMap((node: PhrasingContent): Piece[] => {
		switch (node.type) {
			case 'text': {
				return [span(node.value, marks)];
			}

			case 'inlineCode': {
				return [span(node.value, {...marks, code: true})];
			}

			case 'emphasis': {
				return pieces(node.children, facts, {...marks, em: true});
			}

			case 'strong': {
				return pieces(node.children, facts, {...marks, strong: true});
			}

			case 'fact': {
				const value = facts[node.name];
				const code = node.code ? {code: true} : {};
				return [value === undefined ? span(missingFact, {...marks, ...code, missing: true}) : span(value, {...marks, ...code, fact: true})];
			}

			case 'break': {
				return ['break'];
			}

			default: {
				return [];
			}
		}
	});
}

/** Inline nodes as spans, each fact filled in (or shown missing), for one wrapped run such as a choice. */
export function inlineSpans(nodes: Inline, facts: Facts): Span[] {
	return pieces(nodes, facts, {}).map(piece => (piece === 'break' ? {text: ' '} : piece));
}

/** Inline nodes as rows of spans: a hard line break starts the next row. */
function rowsOf(nodes: Inline, facts: Facts, marks: Marks = {}): Span[][] {
	const rows: Span[][] = [[]];
	for (const piece of pieces(nodes, facts, marks)) {
		if (piece === 'break') rows.push([]);
		else rows.at(-1)!.push(piece);
	}

	return rows;
}

/** Whether the author left a blank line between two nodes: it shows as one blank row. */
function blankBetween(before: RootContent | undefined, after: RootContent): boolean {
	const end = before?.position?.end.line;
	const start = after.position?.start.line;
	return end !== undefined && start !== undefined && start > end + 1;
}

/** Block nodes as blocks, `indent` columns in (the text of the list item they are in). */
function blocksOf(nodes: readonly RootContent[], facts: Facts, indent: number, depth: number): Block[] {
	const blocks: Block[] = [];
	for (const [index, node] of nodes.entries()) {
		if (blankBetween(nodes[index - 1], node)) blocks.push({type: 'blank'});
		blocks.push(...blockOf(node, facts, indent, depth));
	}

	return blocks;
}

function blockOf(node: RootContent, facts: Facts, indent: number, depth: number): Block[] {
	switch (node.type) {
		case 'paragraph': {
			return rowsOf(node.children, facts).map(spans => ({type: 'paragraph', spans, indent}));
		}

		case 'heading': {
			return rowsOf(node.children, facts, {strong: true}).map(spans => ({type: 'paragraph', spans, indent}));
		}

		case 'code': {
			return [{type: 'code', lines: node.value.split('\n'), indent}];
		}

		case 'list': {
			return listBlocks(node, facts, depth);
		}

		default: {
			return [];
		}
	}
}

/** A list's items: `•` or the item's number, a nested list two columns further in. */
function listBlocks(list: List, facts: Facts, depth: number): Block[] {
	const blocks: Block[] = [];
	const indent = 2 * depth;
	for (const [index, item] of list.children.entries()) {
		if (blankBetween(list.children[index - 1], item)) blocks.push({type: 'blank'});
		const marker = list.ordered ? `${(list.start ?? 1) + index}.` : '•';
		// The item's text hangs beside its marker; a paragraph right after the marker starts on its row.
		const hang = indent + columnsOf(marker) + 1;
		const [first] = item.children;
		const [lead = [], ...more] = first?.type === 'paragraph' ? rowsOf(first.children, facts) : [[]];
		blocks.push({type: 'item', marker, indent, spans: lead});
		blocks.push(...more.map((spans): Block => ({type: 'paragraph', spans, indent: hang})));
		const rest = first?.type === 'paragraph' ? item.children.slice(1) : item.children;
		if (first?.type === 'paragraph' && rest[0] && blankBetween(first, rest[0])) blocks.push({type: 'blank'});
		blocks.push(...blocksOf(rest, facts, hang, depth + 1));
	}

	return blocks;
}

/** The names of the facts each step text shows, found once per text. */
const factNames = new WeakMap<Blocks, string[]>();
/** Each step text's last layout, and the width and fact values it was made for. */
const laidOut = new WeakMap<Blocks, {key: string; lines: Line[]}>();

/**
 * Step text as lines of `width` columns, its facts filled in from `facts`. The last layout
 * of each text is kept: the lab's readings change the facts many times a second, most often
 * none that the text shows, and the layout (character by character) then need not be made again.
 */
export function markdownLines(nodes: Blocks, facts: Facts, width: number): Line[] {
	let names = factNames.get(nodes);
	if (!names) {
		names = [...new Set(factsIn(nodes).map(fact => fact.name))];
		factNames.set(nodes, names);
	}

	const key = JSON.stringify([width, ...names.map(name => facts[name] ?? null)]);
	const last = laidOut.get(nodes);
	if (last?.key === key) return last.lines;
	const lines = layoutBlocks(blocksOf(nodes, facts, 0, 0), width);
	laidOut.set(nodes, {key, lines});
	return lines;
}

export function lineWidth(line: Line): number {
	return line.reduce((sum, piece) => sum + columnsOf(piece.text), 0);
}

/** Whether two spans look the same: each style key alike (absent is absent, not false). */
function sameStyle(a: Style = {}, b: Style = {}): boolean {
	return a.code === b.code && a.em === b.em && a.strong === b.strong && a.fact === b.fact && a.missing === b.missing && a.dim === b.dim && a.tone === b.tone;
}

/** Whether two rows draw the same: the same texts in the same styles. */
export function sameLine(a: Line, b: Line): boolean {
	return a.length === b.length && a.every((span, index) => span.text === b[index]!.text && sameStyle(span.style, b[index]!.style));
}

/** Joins neighbouring spans of the same style. */
function merge(line: Line): Line {
	const out: Line = [];
	for (const span of line) {
		if (span.text === '') continue;
		const last = out.at(-1);
		if (last && sameStyle(last.style, span.style)) out[out.length - 1] = {...last, text: last.text + span.text};
		else out.push(span);
	}

	return out;
}

/** A run that never breaks inside (possibly of several styles), and whether a space came before it. */
type Word = {spans: Span[]; spaced: boolean};

/**
 * Splits spans into words: at spaces, and where CJK text may break between two characters
 * (line-breaks.ts), so that a line of Chinese wraps without spaces and a Latin word in it
 * stays whole.
 */
function words(spans: Span[]): Word[] {
	const result: Word[] = [];
	let current: Span[] = [];
	let spaced = false;
	let last = '';
	const end = () => {
		if (current.length > 0) result.push({spans: merge(current), spaced});
		current = [];
	};

	for (const span of spans) {
		for (const char of span.text) {
			if (/\s/.test(char)) {
				end();
				spaced = true;
				last = '';
				continue;
			}

			if (last !== '' && breaksBetween(last, char)) {
				end();
				spaced = false;
			}

			current.push(span.style ? {text: char, style: span.style} : {text: char});
			last = char;
		}
	}

	end();
	return result;
}

/** Cuts a run into pieces of at most `width` columns, never through a character. */
function breakWord(word: Span[], width: number): Span[][] {
	const pieces: Span[][] = [];
	let piece: Span[] = [];
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
 * Word-wraps spans to `width` columns, at spaces and between CJK characters. The first
 * line starts with `first`, the others with `rest` (a hanging indent); words longer than
 * a line are cut.
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

	for (const {spans: word, spaced} of words(spans)) {
		const size = lineWidth(word);
		const gap = spaced ? 1 : 0;
		if (used > 0 && used + gap + size <= room()) {
			line.push(...(spaced ? [{text: ' '}] : []), ...word);
			used += gap + size;
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

/** A code line as it is, `indent` columns in; cut into rows of `width` when longer. */
function codeRows(text: string, width: number, indent: number): Line[] {
	if (text === '') return [[]];
	const margin: Line = indent > 0 ? [{text: ' '.repeat(indent)}] : [];
	return breakWord([{text, style: {code: true}}], Math.max(1, width - indent)).map(row => [...margin, ...row]);
}

/** Lays the blocks out in `width` columns. */
function layoutBlocks(blocks: Block[], width: number): Line[] {
	const lines: Line[] = [];
	for (const block of blocks) {
		switch (block.type) {
			case 'blank': {
				lines.push([]);
				break;
			}

			case 'paragraph': {
				const margin: Line = block.indent > 0 ? [{text: ' '.repeat(block.indent)}] : [];
				lines.push(...wrapSpans(block.spans, width, margin));
				break;
			}

			case 'item': {
				const marker = `${' '.repeat(block.indent)}${block.marker} `;
				lines.push(...wrapSpans(block.spans, width, [{text: marker}], [{text: ' '.repeat(columnsOf(marker))}]));
				break;
			}

			case 'code': {
				for (const text of block.lines) lines.push(...codeRows(text, width, block.indent));
				break;
			}
		}
	}

	return lines;
}
