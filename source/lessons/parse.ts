import {parse as parseYaml} from 'yaml';
import type {SegmentKind, Side} from '../lab/shared/events.js';
import {isKnownFact} from './facts.js';
import type {Condition, LabAction, Lesson, Step} from './types.js';

/** Bad course content: names the file, and the step and line where there is one. */
export class LessonError extends Error {
	constructor(
		message: string,
		readonly file: string,
		readonly line?: number,
	) {
		super(message);
		this.name = 'LessonError';
	}
}

export const stepKinds = ['read', 'wait', 'prompt', 'question'] as const;
export const labActions: readonly LabAction[] = ['drop-on', 'drop-off', 'restart'];
export const conditionNames = ['ready', 'sockopt', 'packet', 'drop', 'socket-error', 'probes-out'] as const;
const sides: readonly Side[] = ['server', 'client'];
const segmentKinds: readonly SegmentKind[] = ['syn', 'syn-ack', 'ack', 'data', 'keepalive', 'keepalive-ack', 'rst', 'fin'];

const stepFields: Record<Step['kind'], readonly string[]> = {
	read: ['kind'],
	wait: ['kind', 'until'],
	prompt: ['kind', 'key', 'action'],
	question: ['kind', 'choices', 'answer', 'explain'],
};

const frontMatterFields = ['id', 'title', 'lab'];

/** The letter the learner presses for choice `index`: a, b, c … */
export function choiceLetter(index: number): string {
	return String.fromCodePoint(97 + index);
}

/** Where a problem is, for the messages: `file:line: step 3 "Title": …`. */
export type Place = {file: string; line: number; step?: {index: number; title: string}};

function fail(place: Place, message: string): never {
	const step = place.step ? `step ${place.step.index + 1} "${place.step.title}": ` : '';
	throw new LessonError(`${place.file}:${place.line}: ${step}${message}`, place.file, place.line);
}

const list = (items: readonly string[]): string => items.join(', ');

/**
 * Parses one lesson file (Markdown with YAML front matter, see lessons/FORMAT.md).
 * Pure; throws a LessonError naming the file, line, step and problem.
 */
export function parseLesson(fileName: string, text: string): Lesson {
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
	const {meta, bodyStart} = readFrontMatter(fileName, lines);
	const at = (line: number): Place => ({file: fileName, line});

	const id = meta['id'];
	if (id === undefined) fail(at(1), 'the front matter has no `id`');
	if (typeof id !== 'string' || !/^[a-z\d][a-z\d-]*$/.test(id)) {
		fail(at(1), `\`id\` must be lowercase letters, digits and dashes, like "cut-the-wire"; got ${JSON.stringify(id)}`);
	}

	const title = meta['title'];
	if (title === undefined) fail(at(1), 'the front matter has no `title`');
	if (typeof title !== 'string' || title.trim() === '') fail(at(1), '`title` must be a non-empty text');

	const lab = meta['lab'] ?? false;
	if (typeof lab !== 'boolean') fail(at(1), `\`lab\` must be true or false; got ${JSON.stringify(lab)}`);

	for (const key of Object.keys(meta)) {
		if (!frontMatterFields.includes(key)) {
			fail(at(1), `unknown front matter field \`${key}\` (expected ${list(frontMatterFields)})`);
		}
	}

	const chunks = splitSteps(fileName, lines, bodyStart);
	if (chunks.length === 0) fail(at(bodyStart + 1), 'the lesson has no steps: start each step with a `## ` heading');
	const steps = chunks.map((chunk, index) => parseStep(chunk, {file: fileName, line: chunk.line, step: {index, title: chunk.title}}, lab));
	return {id, title: title.trim(), lab, steps};
}

function readFrontMatter(file: string, lines: string[]): {meta: Record<string, unknown>; bodyStart: number} {
	if (lines[0]?.trim() !== '---') {
		fail({file, line: 1}, 'the file must start with YAML front matter between `---` lines (id, title, lab)');
	}

	const end = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
	if (end === -1) fail({file, line: 1}, 'the front matter has no closing `---` line');
	let meta: unknown;
	try {
		meta = parseYaml(lines.slice(1, end).join('\n'));
	} catch (error) {
		fail({file, line: 2}, `the front matter is not valid YAML: ${firstLine(error)}`);
	}

	if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
		fail({file, line: 2}, 'the front matter must be YAML fields (id, title, lab)');
	}

	return {meta: meta as Record<string, unknown>, bodyStart: end + 1};
}

function firstLine(error: unknown): string {
	return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

type Chunk = {
	title: string;
	/** 1-based line of the heading. */
	line: number;
	/** The lines after the heading, up to the next step heading. */
	body: string[];
	/** 1-based line of body[0]. */
	bodyLine: number;
};

const fencePattern = /^\s{0,3}(`{3,}|~{3,})\s*([\w-]*)/;

/** Splits the body at `## ` headings that are not inside a fenced code block. */
function splitSteps(file: string, lines: string[], start: number): Chunk[] {
	const chunks: Chunk[] = [];
	let fence: string | null = null;
	let fenceLine = 0;
	for (let index = start; index < lines.length; index++) {
		const line = lines[index]!;
		const fenceMatch = fencePattern.exec(line);
		if (fenceMatch) {
			const marker = fenceMatch[1]!;
			if (fence === null) {
				fence = marker;
				fenceLine = index + 1;
			} else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
		}

		const heading = fence === null ? /^##\s+(.*?)\s*#*\s*$/.exec(line) : null;
		if (heading) {
			const title = heading[1] ?? '';
			if (title === '') fail({file, line: index + 1}, 'a step heading needs a title after `## `');
			chunks.push({title, line: index + 1, body: [], bodyLine: index + 2});
		} else if (chunks.length > 0) {
			chunks.at(-1)!.body.push(line);
		} else if (line.trim() !== '') {
			fail({file, line: index + 1}, 'text before the first step: start each step with a `## ` heading');
		}
	}

	if (fence !== null) fail({file, line: fenceLine}, `the code block opened with ${fence} here is never closed`);
	return chunks;
}

function parseStep(chunk: Chunk, place: Place, lab: boolean): Step {
	let body = chunk.body;
	let fields: Record<string, unknown> = {};
	const first = body.findIndex(line => line.trim() !== '');
	const fenceMatch = first === -1 ? null : fencePattern.exec(body[first]!);
	if (fenceMatch && fenceMatch[2] === 'step') {
		const close = body.findIndex((line, index) => index > first && line.trim() === fenceMatch[1]);
		const blockPlace = {...place, line: chunk.bodyLine + first};
		if (close === -1) fail(blockPlace, `the step block is not closed with ${fenceMatch[1]}`);
		let parsed: unknown;
		try {
			parsed = parseYaml(body.slice(first + 1, close).join('\n'));
		} catch (error) {
			fail(blockPlace, `the step block is not valid YAML: ${firstLine(error)}`);
		}

		if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
			fail(blockPlace, 'the step block must hold YAML fields, starting with `kind:`');
		}

		fields = parsed as Record<string, unknown>;
		if (fields['kind'] === undefined) fail(blockPlace, `the step block needs \`kind:\` (${list(stepKinds)})`);
		body = body.slice(close + 1);
	}

	const title = chunk.title;
	const stray = body.findIndex(line => fencePattern.exec(line)?.[2] === 'step');
	if (stray !== -1) {
		fail({...place, line: chunk.bodyLine + chunk.body.length - body.length + stray}, 'a `step` block must come right after the step\'s heading');
	}

	const text = normalizeText(body);
	checkPlaceholders(place, [text]);
	const kind = fields['kind'] ?? 'read';
	if (typeof kind !== 'string' || !(stepKinds as readonly string[]).includes(kind)) {
		fail(place, `unknown step kind ${JSON.stringify(kind)} (expected ${list(stepKinds)})`);
	}

	const stepKind = kind as Step['kind'];
	for (const key of Object.keys(fields)) {
		if (!stepFields[stepKind].includes(key)) {
			const allowed = stepFields[stepKind].filter(name => name !== 'kind');
			fail(place, `unknown field \`${key}\` for a ${stepKind} step (${allowed.length === 0 ? 'it takes none' : `expected ${list(allowed)}`})`);
		}
	}

	if (text === '') fail(place, 'the step has no text');
	if ((stepKind === 'wait' || stepKind === 'prompt') && !lab) {
		fail(place, `a ${stepKind} step needs the live lab: set \`lab: true\` in the front matter`);
	}

	switch (stepKind) {
		case 'read': {
			return {kind: 'read', title, text};
		}

		case 'wait': {
			const until = fields['until'];
			if (until === undefined) fail(place, 'a wait step needs `until:` (a condition, e.g. `packet keepalive from server`)');
			if (typeof until !== 'string') fail(place, '`until` must be a condition written as text, e.g. `packet keepalive from server`');
			return {kind: 'wait', title, text, until: parseCondition(until, place)};
		}

		case 'prompt': {
			const key = fields['key'];
			const action = fields['action'];
			if (key === undefined) fail(place, 'a prompt step needs `key:` (the key the learner presses)');
			if (typeof key !== 'string' || [...key].length !== 1 || key.trim() === '') {
				fail(place, `\`key\` must be one printable character; got ${JSON.stringify(key)}`);
			}

			if (action === undefined) fail(place, `a prompt step needs \`action:\` (${list(labActions)})`);
			if (typeof action !== 'string' || !(labActions as readonly string[]).includes(action)) {
				fail(place, `unknown action ${JSON.stringify(action)} (expected ${list(labActions)})`);
			}

			return {kind: 'prompt', title, text, key, action: action as LabAction};
		}

		case 'question': {
			return parseQuestion(fields, place, title, text);
		}
	}
}

function parseQuestion(fields: Record<string, unknown>, place: Place, title: string, text: string): Step {
	const choices = fields['choices'];
	if (choices === undefined) fail(place, 'a question needs `choices:` (a YAML list)');
	if (!Array.isArray(choices) || choices.length < 2 || choices.length > 26) {
		fail(place, '`choices` must be a list of 2 to 26 choices');
	}

	const texts = choices.map((choice, index) => {
		if (typeof choice !== 'string' && typeof choice !== 'number') {
			fail(place, `choice ${choiceLetter(index)} must be text (put it in quotes if it holds ": ")`);
		}

		const value = String(choice).trim();
		if (value === '') fail(place, `choice ${choiceLetter(index)} is empty`);
		return value;
	});
	const last = choiceLetter(texts.length - 1);
	const answer = fields['answer'];
	if (answer === undefined) fail(place, `a question needs \`answer:\` (the letter of the right choice, a–${last})`);
	if (typeof answer !== 'string' || !/^[a-z]$/.test(answer)) {
		fail(place, `\`answer\` must be the letter of the right choice, a–${last}; got ${JSON.stringify(answer)}`);
	}

	const index = answer.codePointAt(0)! - 97;
	if (index >= texts.length) {
		fail(place, `answer "${answer}" is out of range: there are ${texts.length} choices (a–${last})`);
	}

	const explain = fields['explain'];
	if (explain === undefined) fail(place, 'a question needs `explain:` (shown once answered)');
	if (typeof explain !== 'string' || explain.trim() === '') fail(place, '`explain` must be a non-empty text');
	checkPlaceholders(place, [...texts, explain]);
	return {kind: 'question', title, text, choices: texts, answer: index, explain: explain.trim()};
}

function checkPlaceholders(place: Place, texts: string[]): void {
	for (const text of texts) {
		for (const match of text.matchAll(/\{\{(.*?)\}\}/g)) {
			const name = match[1]!.trim();
			if (!/^[\w.]+$/.test(name)) fail(place, `bad placeholder "${match[0]}"`);
			if (!isKnownFact(name)) fail(place, `unknown placeholder {{${name}}} (see "Facts" in lessons/FORMAT.md)`);
		}

		if (/\{\{(?![^{}]*\}\})/.test(text)) fail(place, 'a placeholder opened with {{ is never closed with }}');
	}
}

/**
 * Parses a condition written as text (see lessons/FORMAT.md):
 * `ready` · `sockopt server` · `packet keepalive [from server] [after drop] [count 2]` ·
 * `drop` · `socket-error server [ETIMEDOUT]` · `probes-out server 2`.
 */
export function parseCondition(source: string, place: Place = {file: '(condition)', line: 1}): Condition {
	const words = source.trim().split(/\s+/);
	const [name, ...rest] = words;
	const side = (word: string | undefined, what: string): Side => {
		if (word === undefined) fail(place, `\`${name}\` needs a side (server or client): ${what}`);
		if (!(sides as readonly string[]).includes(word)) fail(place, `unknown side "${word}" in \`${source}\` (expected server or client)`);
		return word as Side;
	};

	const count = (word: string | undefined): number => {
		if (word === undefined || !/^\d+$/.test(word) || Number(word) < 1) {
			fail(place, `the count in \`${source}\` must be a whole number ≥ 1; got ${word === undefined ? 'nothing' : `"${word}"`}`);
		}

		return Number(word);
	};

	const noMore = (extra: string[]) => {
		if (extra.length > 0) fail(place, `unexpected "${extra.join(' ')}" in condition \`${source}\``);
	};

	switch (name) {
		case 'ready':
		case 'drop': {
			noMore(rest);
			return {type: name};
		}

		case 'sockopt': {
			const [who, ...extra] = rest;
			noMore(extra);
			return {type: 'sockopt', side: side(who, '`sockopt server`')};
		}

		case 'socket-error': {
			const [who, code, ...extra] = rest;
			noMore(extra);
			if (code !== undefined && !/^E[A-Z\d]+$/.test(code)) {
				fail(place, `"${code}" in \`${source}\` is not an errno name like ETIMEDOUT`);
			}

			return {type: 'socket-error', side: side(who, '`socket-error server ETIMEDOUT`'), ...(code === undefined ? {} : {code})};
		}

		case 'probes-out': {
			const [who, atLeast, ...extra] = rest;
			noMore(extra);
			return {type: 'probes-out', side: side(who, '`probes-out server 1`'), atLeast: count(atLeast)};
		}

		case 'packet': {
			return parsePacketCondition(source, rest, place, side, count);
		}

		default: {
			fail(place, `unknown condition ${JSON.stringify(name ?? '')} (expected ${list(conditionNames)})`);
		}
	}
}

function parsePacketCondition(
	source: string,
	rest: string[],
	place: Place,
	side: (word: string | undefined, what: string) => Side,
	count: (word: string | undefined) => number,
): Condition {
	const [kind, ...options] = rest;
	if (kind === undefined) fail(place, `\`packet\` needs a segment kind (${list(segmentKinds)})`);
	if (!(segmentKinds as readonly string[]).includes(kind)) {
		fail(place, `unknown segment kind "${kind}" in \`${source}\` (expected ${list(segmentKinds)})`);
	}

	const condition: Extract<Condition, {type: 'packet'}> = {type: 'packet', kind: kind as SegmentKind, count: 1};
	for (let index = 0; index < options.length; index++) {
		const word = options[index];
		if (word === 'from') {
			condition.from = side(options[++index], '`packet keepalive from server`');
		} else if (word === 'count') {
			condition.count = count(options[++index]);
		} else if (word === 'after' && options[index + 1] === 'drop') {
			condition.afterDrop = true;
			index++;
		} else {
			fail(place, `unexpected "${word}" in condition \`${source}\` (expected from <side>, after drop, count <n>)`);
		}
	}

	return condition;
}

const listItem = /^\s{0,3}([-*+]|\d+[.)])\s/;

/**
 * Step text for a terminal that wraps by itself: soft-wrapped lines of a paragraph
 * or list item are joined into one line, blank lines collapse to one, and fenced
 * code blocks (fences included) stay exactly as written.
 */
export function normalizeText(lines: readonly string[]): string {
	const out: string[] = [];
	let fence: string | null = null;
	/** Whether the last output line may take a soft-wrapped continuation. */
	let open = false;
	for (const raw of lines) {
		const fenceMatch = fencePattern.exec(raw);
		if (fence !== null) {
			out.push(raw.trimEnd());
			if (fenceMatch && raw.trim() === fence) fence = null;
			open = false;
			continue;
		}

		if (fenceMatch) {
			fence = fenceMatch[1]!;
			out.push(raw.trim());
			open = false;
			continue;
		}

		if (raw.trim() === '') {
			if (out.length > 0 && out.at(-1) !== '') out.push('');
			open = false;
			continue;
		}

		const hardBreak = / {2,}$|\\$/.test(raw);
		const line = raw.replace(/\\$/, '').trim();
		if (open && !listItem.test(raw)) out[out.length - 1] += ` ${line}`;
		else out.push(listItem.test(raw) ? raw.replace(/\\$/, '').trimEnd() : line);
		open = !hardBreak;
	}

	while (out.at(-1) === '') out.pop();
	return out.join('\n');
}
