/*
 * Lesson Markdown into the tree lesson-tree.ts describes: micromark with YAML front
 * matter, then `{{name}}` cut out into `fact` nodes. Only reading a course loads this.
 */

import type {Code, InlineCode, Parent, PhrasingContent, Root, RootContent, Text} from 'mdast';
import {fromMarkdown} from 'mdast-util-from-markdown';
import {frontmatterFromMarkdown} from 'mdast-util-frontmatter';
import {frontmatter} from 'micromark-extension-frontmatter';

const placeholder = /\{\{\s*([\w.]+)\s*\}\}/g;

/** Parses Markdown (with YAML front matter, when it starts with one) into a tree with `fact` nodes. */
export function parseMarkdown(text: string): Root {
	const tree = fromMarkdown(text, {extensions: [frontmatter(['yaml'])], mdastExtensions: [frontmatterFromMarkdown(['yaml'])]});
	markFacts(tree);
	return tree;
}

function markFacts(parent: Parent): void {
	parent.children = parent.children.flatMap((child): RootContent[] => {
		if (child.type === 'text' || child.type === 'inlineCode') return splitFacts(child);
		if ('children' in child) markFacts(child);
		return [child];
	});
}

/** A text or inline code cut around its placeholders. Fenced code blocks keep theirs as written. */
function splitFacts(node: Text | InlineCode): PhrasingContent[] {
	const pieces: PhrasingContent[] = [];
	const {value} = node;
	let from = 0;
	for (const match of value.matchAll(placeholder)) {
		if (match.index > from) pieces.push({type: node.type, value: value.slice(from, match.index)});
		// Soft line breaks stay in a text's value, so the fact's line is the node's plus those before it.
		const line = (node.position?.start.line ?? 1) + [...value.slice(0, match.index).matchAll(/\n/g)].length;
		const point = {line, column: 1};
		pieces.push({type: 'fact', name: match[1]!, value: match[0], ...(node.type === 'inlineCode' ? {code: true} : {}), position: {start: point, end: point}});
		from = match.index + match[0].length;
	}

	if (pieces.length === 0) return [node];
	if (from < value.length) pieces.push({type: node.type, value: value.slice(from)});
	return pieces;
}

/**
 * The opening fence of a fenced code block that is never closed (Markdown ends such a
 * block with the file, or with the list item it is in), else undefined.
 */
export function unclosedFence(node: Code, source: string): string | undefined {
	const {start, end} = node.position ?? {};
	if (start?.offset === undefined || end?.offset === undefined) return undefined;
	const lines = source.slice(start.offset, end.offset).split(/\r?\n/);
	const open = /^\s*(`{3,}|~{3,})/.exec(lines[0]!)?.[1];
	if (open === undefined) return undefined;
	const close = lines.length > 1 ? /^[\s>]*(`+|~+)\s*$/.exec(lines.at(-1)!)?.[1] : undefined;
	return close !== undefined && close[0] === open[0] && close.length >= open.length ? undefined : open;
}
