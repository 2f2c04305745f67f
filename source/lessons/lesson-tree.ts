/*
 * A lesson file as one Markdown syntax tree (mdast), its front matter a `yaml` node and
 * its live values `fact` nodes. Everything else (the steps, the checker, the pane) reads
 * this tree; nothing scans the text again. Parsing is markdown-parse.ts's, so that
 * reading a tree (the pane does) never loads the parser.
 */

import type {Literal, Nodes, PhrasingContent, RootContent} from 'mdast';

/**
 * A live value, written `{{name}}` (spaces inside the braces allowed) in text or in
 * `inline code`: filled in from the facts each time the step is drawn. Its `value` is
 * the placeholder as written, so that the plain text of a node still shows it.
 */
export interface Fact extends Literal {
	type: 'fact';
	name: string;
	/** Written inside `inline code`: shown as code. */
	code?: boolean;
}

declare module 'mdast' {
	interface PhrasingContentMap {
		fact: Fact;
	}

	interface RootContentMap {
		fact: Fact;
	}
}

/** Step text: block nodes (paragraphs, lists, code …), with facts among their inline nodes. */
export type Blocks = readonly RootContent[];
/** Inline nodes only, such as a question's choice. */
export type Inline = readonly PhrasingContent[];

/** Every node of `nodes` and below them, in document order. */
export function* walk(nodes: readonly Nodes[]): Generator<Nodes> {
	for (const node of nodes) {
		yield node;
		if ('children' in node) yield* walk(node.children);
	}
}

/** The facts shown in these nodes, in document order. */
export function factsIn(nodes: readonly Nodes[]): Fact[] {
	return [...walk(nodes)].filter((node): node is Fact => node.type === 'fact');
}

/** The 1-based line a node starts on. */
export function lineOf(node: Nodes, fallback = 1): number {
	return node.position?.start.line ?? fallback;
}
