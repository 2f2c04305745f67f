import type {Nodes, Root, RootContent} from 'mdast';
import {toString as plainText} from 'mdast-util-to-string';
import {parseCondition} from './condition.js';
import {isAppFact, isKnownFact} from './facts.js';
import {readFrontMatter} from './front-matter.js';
import {type Blocks, type Inline, lineOf, walk} from './lesson-tree.js';
import {parseMarkdown, unclosedFence} from './markdown-parse.js';
import {choiceLetter} from './choices.js';
import {collecting, fail, list, orThrow, type Place, type Problem} from './problem.js';
import type {LabAction, Lesson, Step} from './types.js';
import {yamlFields} from './yaml-fields.js';

const stepKinds = ['read', 'wait', 'prompt', 'question'] as const;
const labActions: readonly LabAction[] = ['drop-on', 'drop-off', 'restart', 'keepalive-on', 'keepalive-off', 'send-client', 'send-server', 'freeze', 'resume'];
/** The longest line a `send-*` prompt may write: one short line, as the lab's peers read lines. */
const maxLineLength = 60;

const stepFields: Record<Step['kind'], readonly string[]> = {
	read: ['kind'],
	wait: ['kind', 'until'],
	prompt: ['kind', 'key', 'action', 'line'],
	question: ['kind', 'choices', 'answer', 'explain'],
};

/** The Markdown the lesson pane draws (source/ui/lesson/markdown.ts); a step with anything else is refused. */
const shown = new Set<Nodes['type']>(['paragraph', 'heading', 'list', 'listItem', 'code', 'text', 'emphasis', 'strong', 'inlineCode', 'break', 'fact']);
const unshownNames: Partial<Record<Nodes['type'], string>> = {
	blockquote: 'a block quote',
	thematicBreak: 'a `---` rule',
	html: 'HTML: put `<…>` in backticks, or write \\<',
	link: 'a link',
	linkReference: 'a link',
	definition: 'a link definition',
	image: 'an image',
	imageReference: 'an image',
};

/** A lesson file read: the lesson when it is valid, and every problem found. */
export type LessonRead = {lesson?: Lesson; problems: Problem[]};

/**
 * Reads one lesson file (Markdown with YAML front matter, see lessons/FORMAT.md) from its
 * syntax tree. Pure. Each step is checked on its own, so one bad step hides no other.
 */
export function readLesson(file: string, source: string): LessonRead {
	const problems: Problem[] = [];
	const tree = parseMarkdown(source);
	const meta = collecting(problems, () => readFrontMatter(file, tree, source));
	for (const node of walk(tree.children)) {
		const fence = node.type === 'code' ? unclosedFence(node, source) : undefined;
		if (fence !== undefined) problems.push({file, line: lineOf(node), message: `the code block opened with ${fence} here is never closed`});
	}

	const chunks = splitSteps(file, tree, problems);
	if (chunks.length === 0) {
		const [first] = tree.children;
		const line = first?.type === 'yaml' ? (first.position?.end.line ?? 0) + 1 : 1;
		problems.push({file, line, message: 'the lesson has no steps: start each step with a `## ` heading'});
	}

	// A front matter too broken to say whether the lesson has a lab refuses no step for needing one.
	const lab = meta?.lab ?? true;
	const steps: Step[] = [];
	for (const [index, chunk] of chunks.entries()) {
		const step = collecting(problems, () => parseStep(chunk, {file, line: chunk.line, step: {index, title: chunk.title}}, lab));
		if (step) steps.push(step);
	}

	problems.sort((a, b) => a.line - b.line);
	return meta && problems.length === 0 ? {lesson: {...meta, file, steps}, problems} : {problems};
}

/** Reads one lesson file; throws a LessonError with its problems. */
export function parseLesson(file: string, source: string): Lesson {
	const {lesson, problems} = readLesson(file, source);
	return orThrow(lesson, problems);
}

type Chunk = {
	title: string;
	/** 1-based line of the heading. */
	line: number;
	/** The nodes after the heading, up to the next step heading. */
	nodes: RootContent[];
};

/** Splits the tree at its level-2 headings: one chunk per step. */
function splitSteps(file: string, tree: Root, problems: Problem[]): Chunk[] {
	const chunks: Chunk[] = [];
	// Without front matter the start of the file is that problem, not text before the first step.
	let before = tree.children[0]?.type === 'yaml';
	for (const node of tree.children) {
		if (node.type === 'yaml') continue;
		const last = chunks.at(-1);
		if (node.type === 'heading' && node.depth === 2) {
			const title = plainText(node).trim();
			if (title === '') problems.push({file, line: lineOf(node), message: 'a step heading needs a title after `## `'});
			chunks.push({title, line: lineOf(node), nodes: []});
		} else if (last) {
			last.nodes.push(node);
		} else if (before) {
			problems.push({file, line: lineOf(node), message: 'text before the first step: start each step with a `## ` heading'});
			before = false;
		}
	}

	return chunks;
}

function parseStep(chunk: Chunk, place: Place, lab: boolean): Step {
	const {title, line} = chunk;
	let text: Blocks = chunk.nodes;
	let fields: Record<string, unknown> = {};
	let block = place;
	let field = (_key: string, _index?: number): Place => place;
	const [first] = text;
	if (first?.type === 'code' && first.lang === 'step') {
		block = {...place, line: lineOf(first)};
		const yaml = yamlFields(first.value, {...block, line: block.line + 1}, 'the step block', 'the step block must hold YAML fields, starting with `kind:`');
		fields = yaml.values;
		field = (key, index) => ({...place, line: yaml.lineOf(key, index)});
		if (fields['kind'] === undefined) fail(block, `the step block needs \`kind:\` (${list(stepKinds)})`);
		text = text.slice(1);
	}

	const stray = [...walk(text)].find(node => node.type === 'code' && node.lang === 'step');
	if (stray) fail({...place, line: lineOf(stray)}, 'a `step` block must come right after the step\'s heading');
	checkText(text, place, lab, true);
	const kind = fields['kind'] ?? 'read';
	if (typeof kind !== 'string' || !(stepKinds as readonly string[]).includes(kind)) {
		fail(field('kind'), `unknown step kind ${JSON.stringify(kind)} (expected ${list(stepKinds)})`);
	}

	const stepKind = kind as Step['kind'];
	for (const key of Object.keys(fields)) {
		if (!stepFields[stepKind].includes(key)) {
			const allowed = stepFields[stepKind].filter(name => name !== 'kind');
			fail(field(key), `unknown field \`${key}\` for a ${stepKind} step (${allowed.length === 0 ? 'it takes none' : `expected ${list(allowed)}`})`);
		}
	}

	if (text.length === 0) fail(place, 'the step has no text');
	if ((stepKind === 'wait' || stepKind === 'prompt') && !lab) {
		fail(place, `a ${stepKind} step needs the live lab: set \`lab: true\` in the front matter`);
	}

	switch (stepKind) {
		case 'read': {
			return {kind: 'read', title, line, text};
		}

		case 'wait': {
			const until = fields['until'];
			if (until === undefined) fail(block, 'a wait step needs `until:` (a condition, e.g. `packet keepalive from server`)');
			if (typeof until !== 'string') fail(field('until'), '`until` must be a condition written as text, e.g. `packet keepalive from server`');
			return {kind: 'wait', title, line, text, until: parseCondition(until, field('until'))};
		}

		case 'prompt': {
			const key = fields['key'];
			const action = fields['action'];
			if (key === undefined) fail(block, 'a prompt step needs `key:` (the key the learner presses)');
			if (typeof key !== 'string' || [...key].length !== 1 || key.trim() === '') {
				fail(field('key'), `\`key\` must be one printable character; got ${JSON.stringify(key)}`);
			}

			if (action === undefined) fail(block, `a prompt step needs \`action:\` (${list(labActions)})`);
			if (typeof action !== 'string' || !(labActions as readonly string[]).includes(action)) {
				fail(field('action'), `unknown action ${JSON.stringify(action)} (expected ${list(labActions)})`);
			}

			const written = readLine(fields['line'], action as LabAction, block, field('line'));
			return {kind: 'prompt', title, line, text, key, action: action as LabAction, ...(written === undefined ? {} : {writes: written})};
		}

		case 'question': {
			return {kind: 'question', title, line, text, ...readQuestion(fields, block, field, lab)};
		}
	}
}

/** A `send-*` prompt's `line:`: what the application writes (one line of text); no other action takes one. */
function readLine(value: unknown, action: LabAction, block: Place, at: Place): string | undefined {
	const sends = action === 'send-client' || action === 'send-server';
	if (!sends) {
		if (value !== undefined) fail(at, `\`line\` is what a \`send-client\` or \`send-server\` prompt writes; action ${action} takes none`);
		return undefined;
	}

	if (value === undefined) fail(block, `a ${action} prompt needs \`line:\` (the text the application writes)`);
	if (typeof value !== 'string' || value.trim() === '' || /[\r\n]/.test(value) || value.length > maxLineLength) {
		fail(at, `\`line\` must be one line of text of at most ${maxLineLength} characters; got ${JSON.stringify(value)}`);
	}

	return value;
}

function readQuestion(
	fields: Record<string, unknown>,
	block: Place,
	field: (key: string, index?: number) => Place,
	lab: boolean,
): {choices: Inline[]; answer: number; explain: Blocks} {
	const choices = fields['choices'];
	if (choices === undefined) fail(block, 'a question needs `choices:` (a YAML list)');
	if (!Array.isArray(choices) || choices.length < 2 || choices.length > 26) {
		fail(field('choices'), '`choices` must be a list of 2 to 26 choices');
	}

	// Choices and the explanation are Markdown too, read from the step block's YAML strings.
	const inline = choices.map((choice: unknown, index) => {
		const letter = choiceLetter(index);
		const at = field('choices', index);
		if (typeof choice !== 'string' && typeof choice !== 'number') fail(at, `choice ${letter} must be text (put it in quotes if it holds ": ")`);
		const value = String(choice).trim();
		if (value === '') fail(at, `choice ${letter} is empty`);
		const [only, ...more] = parseMarkdown(value).children;
		if (only?.type !== 'paragraph' || more.length > 0) fail(at, `choice ${letter} must be one line of text, not a Markdown list, heading or code block`);
		checkText(only.children, at, lab, false);
		return only.children;
	});
	const last = choiceLetter(inline.length - 1);
	const answer = fields['answer'];
	if (answer === undefined) fail(block, `a question needs \`answer:\` (the letter of the right choice, a–${last})`);
	if (typeof answer !== 'string' || !/^[a-z]$/.test(answer)) {
		fail(field('answer'), `\`answer\` must be the letter of the right choice, a–${last}; got ${JSON.stringify(answer)}`);
	}

	const index = answer.codePointAt(0)! - 97;
	if (index >= inline.length) {
		fail(field('answer'), `answer "${answer}" is out of range: there are ${inline.length} choices (a–${last})`);
	}

	const explain = fields['explain'];
	if (explain === undefined) fail(block, 'a question needs `explain:` (shown once answered)');
	if (typeof explain !== 'string' || explain.trim() === '') fail(field('explain'), '`explain` must be a non-empty text');
	const explained = parseMarkdown(explain.trim()).children;
	checkText(explained, field('explain'), lab, false);
	return {choices: inline, answer: index, explain: explained};
}

/**
 * Refuses Markdown the pane does not draw and placeholders it cannot fill. `ownLines`:
 * the nodes' positions are lines of the file (not of a YAML string, as a choice's are).
 */
export function checkText(nodes: readonly Nodes[], place: Place, lab: boolean, ownLines: boolean): void {
	for (const node of walk(nodes)) {
		const at = ownLines ? {...place, line: lineOf(node, place.line)} : place;
		if (!shown.has(node.type)) {
			fail(at, `the lesson pane does not show ${unshownNames[node.type] ?? node.type} (it shows paragraphs, lists, headings, code blocks, \`code\`, *emphasis* and **strong**)`);
		}

		if (node.type === 'fact') {
			if (!isKnownFact(node.name)) fail(at, `unknown placeholder {{${node.name}}} (see "Facts" in lessons/FORMAT.md)`);
			if (!lab && !isAppFact(node.name)) fail(at, `{{${node.name}}} comes from the lab: it needs \`lab: true\` in the front matter`);
		}

		if ((node.type === 'text' || node.type === 'inlineCode') && node.value.includes('{{')) {
			const bad = /\{\{.*?\}\}/.exec(node.value)?.[0];
			fail(at, bad === undefined ? 'a placeholder opened with {{ is never closed with }}' : `bad placeholder "${bad}" (a name is letters, digits, _ and dots)`);
		}
	}
}
