import {choiceLetter} from '../../lessons/choices.js';
import {
	answerOf,
	conditionProgress,
	currentKey,
	currentLesson,
	currentStep,
	describeCondition,
	type EngineState,
	isStepDone,
	promptStatus,
} from '../../lessons/step-engine.js';
import type {Condition, Facts, LabAction, Step} from '../../lessons/types.js';
import {columnsOf} from '../lab/format.js';
import {inlineSpans, type Line, markdownLines, type Span, type Style, wrapSpans} from './markdown.js';

/** Where the lab stands, as far as the lesson text cares. */
export type LabStatus = 'none' | 'starting' | 'running' | 'ended' | 'unavailable';

export type LessonScreenInput = {
	engine: EngineState;
	/** Facts for the {{placeholders}}: the run's, the kernel's newest and the host's. */
	facts: Facts;
	lab: LabStatus;
	/** A message of the app's own (besides the step engine's notice). */
	notice?: string | null;
	width: number;
	height: number;
};

export type LessonScreen = {
	/** Lesson title and progress; always shown. */
	header: Line[];
	/** The step's title and text; scrolls when it does not fit. */
	text: Line[];
	/** What to do or watch for now, after a blank row on a pane tall enough; always shown under the text. */
	action: Line[];
	/** Rows the text gets (an indicator row included when it scrolls). */
	textRows: number;
	/** How far the text can scroll; 0 when it fits. */
	maxScroll: number;
};

const dim: Style = {dim: true};

const actionWords: Record<LabAction, string> = {
	'drop-on': "drop the client's packets (the firewall rule goes in)",
	'drop-off': 'remove the drop rule',
	restart: 'restart the lab',
};

const doneWords: Record<LabAction, string> = {
	'drop-on': 'the drop is in force.',
	'drop-off': 'the drop is off.',
	restart: 'a new lab run has started.',
};

/** Words of the conditions that the kernel's keepalive timer is counting down to. */
function waitsOnTimer(condition: Condition): boolean {
	return condition.type === 'packet' || condition.type === 'probes-out' || condition.type === 'socket-error';
}

/** Rows the header gives the lesson's title; the rest of a longer title is cut. */
export const titleRows = 2;

/** A lesson's title as the header wraps it in `width` columns, before it is cut to titleRows. */
export function titleLines(title: string, width: number): Line[] {
	return wrapSpans([{text: title, style: {tone: 'title'}}], width);
}

function headerLines(engine: EngineState, width: number): Line[] {
	const lesson = currentLesson(engine);
	const steps = lesson.steps.length;
	const dots = lesson.steps
		.map((_step, index) => (index === engine.step ? '◉' : isStepDone(engine, engine.lesson, index) ? '●' : '○'))
		.join('');
	const progress = `Lesson ${engine.lesson + 1}/${engine.lessons.length} · step ${engine.step + 1}/${steps}`;
	const second: Line =
		columnsOf(progress) + 1 + steps <= width ? [{text: progress, style: dim}, {text: ' '}, {text: dots, style: dim}] : [{text: progress, style: dim}];
	return [...titleLines(lesson.title, width).slice(0, titleRows), second];
}

function textLines(step: Step, facts: Facts, width: number, spaced: boolean): Line[] {
	const title = wrapSpans([{text: step.title, style: {strong: true}}], width);
	return [...title, ...(spaced ? [[]] : []), ...markdownLines(step.text, facts, width)];
}

/** A message with a leading sign and a hanging indent. */
function said(sign: string, spans: Span[], width: number, style?: Style): Line[] {
	const first: Span = style ? {text: `${sign} `, style} : {text: `${sign} `};
	return wrapSpans(
		spans.map(span => (style && !span.style ? {...span, style} : span)),
		width,
		[first],
		[{text: ' '.repeat(columnsOf(first.text))}],
	);
}

function needsLab(lab: LabStatus, width: number): Line[] {
	if (lab === 'unavailable' || lab === 'none') {
		return said('!', [{text: 'This step needs the live lab, which cannot run here. Press n for the next lesson.'}], width, {tone: 'warn'});
	}

	return [];
}

function waitLines(input: LessonScreenInput, condition: Condition, width: number): Line[] {
	const {engine, facts, lab} = input;
	const what = describeCondition(condition);
	if (engine.done[currentKey(engine)]) {
		return [...said('✓', [{text: `Done: waited for ${what}.`}], width, {tone: 'ok'}), ...said(' ', [{text: 'Press → to go on.', style: dim}], width)];
	}

	const missing = needsLab(lab, width);
	if (missing.length > 0) return missing;
	const {have, need} = conditionProgress(condition, engine.run);
	const count = need > 1 ? ` (${have}/${need})` : '';
	const lines = said('…', [{text: `Waiting for ${what}${count}.`}], width);
	if (lab === 'starting') lines.push(...said(' ', [{text: 'The lab is starting.', style: dim}], width));
	else if (lab === 'ended') {
		lines.push(...said('!', [{text: 'This lab run has ended. Press r to start a new one.'}], width, {tone: 'warn'}));
	} else if (waitsOnTimer(condition) && facts['kernel.server.timer'] === 'keepalive' && facts['kernel.server.dueIn'] !== undefined) {
		lines.push(
			...said(' ', [{text: "Server's keepalive timer (kernel): due in ", style: dim}, {text: `${facts['kernel.server.dueIn']} s`, style: {fact: true}}], width),
		);
	}

	return lines;
}

function promptLines(input: LessonScreenInput, step: Extract<Step, {kind: 'prompt'}>, width: number): Line[] {
	const status = promptStatus(input.engine);
	if (status === 'done') {
		return [
			...said('✓', [{text: `Done: ${doneWords[step.action]}`}], width, {tone: 'ok'}),
			...said(' ', [{text: 'Press → to go on.', style: dim}], width),
		];
	}

	const missing = needsLab(input.lab, width);
	if (missing.length > 0) return missing;
	const noDrop = input.engine.run.firewallProblem;
	if (noDrop && step.action !== 'restart') {
		// The lab runs without a firewall tool: only the drop is missing, and what to install instead of the key.
		return [
			...said('!', [{text: `The drop is not available here: ${noDrop.message}`}], width, {tone: 'warn'}),
			...said(' ', [{text: `${noDrop.fix} Then press r. Or press n for the next lesson.`, style: dim}], width),
		];
	}

	if (status === 'waiting-for-lab') return said('…', [{text: 'Waiting for the lab to confirm.'}], width);
	const lines = said('▶', [{text: 'Press '}, {text: step.key, style: {tone: 'key'}}, {text: ` to ${actionWords[step.action]}.`}], width, {
		tone: 'key',
	});
	if (input.lab === 'starting') lines.push(...said(' ', [{text: 'The lab is starting.', style: dim}], width));
	return lines;
}

function questionLines(input: LessonScreenInput, step: Extract<Step, {kind: 'question'}>, width: number): Line[] {
	const answer = answerOf(input.engine);
	const lines: Line[] = [];
	for (const [index, choice] of step.choices.entries()) {
		const label = `${choiceLetter(index)}) `;
		const right = answer !== undefined && index === step.answer;
		const wrong = answer !== undefined && index === answer.choice && !answer.correct;
		const sign = right ? '✓ ' : wrong ? '✗ ' : '  ';
		const style: Style | undefined = right ? {tone: 'ok'} : wrong ? {tone: 'bad'} : undefined;
		const spans = inlineSpans(choice, input.facts).map(span => (style ? {...span, style: {...span.style, ...style}} : span));
		lines.push(
			...wrapSpans(spans, width, [style ? {text: sign + label, style} : {text: sign + label}], [{text: ' '.repeat(columnsOf(sign + label))}]),
		);
	}

	lines.push([]);
	if (answer === undefined) {
		const last = choiceLetter(step.choices.length - 1);
		lines.push(...said('▶', [{text: 'Press '}, {text: `a–${last}`, style: {tone: 'key'}}, {text: ' to answer.'}], width, {tone: 'key'}));
		return lines;
	}

	lines.push(
		...(answer.correct
			? said('✓', [{text: 'Right.'}], width, {tone: 'ok'})
			: said('✗', [{text: `Not quite: the answer is ${choiceLetter(step.answer)}).`}], width, {tone: 'bad'})),
	);
	lines.push(...markdownLines(step.explain, input.facts, width));
	return lines;
}

function readLines(engine: EngineState, width: number): Line[] {
	if (engine.finished) {
		return [
			...said('✓', [{text: 'You have finished the course.'}], width, {tone: 'ok'}),
			...said(' ', [{text: 'Press m for the lessons, or q to quit.', style: dim}], width),
		];
	}

	const lesson = currentLesson(engine);
	const last = engine.step === lesson.steps.length - 1;
	const nextLesson = engine.lessons[engine.lesson + 1];
	const text = !last
		? 'Press → for the next step.'
		: nextLesson
			? `Press → for lesson ${engine.lesson + 2}: ${nextLesson.title}.`
			: 'Press → to finish the course.';
	return said('→', [{text, style: dim}], width, dim);
}

function actionLines(input: LessonScreenInput, width: number): Line[] {
	const step = currentStep(input.engine);
	const lines: Line[] =
		step.kind === 'read'
			? readLines(input.engine, width)
			: step.kind === 'wait'
				? waitLines(input, step.until, width)
				: step.kind === 'prompt'
					? promptLines(input, step, width)
					: questionLines(input, step, width);
	// A finished course ends on a read step whose text already says so.
	if (input.engine.finished && step.kind !== 'read') lines.push(...readLines(input.engine, width));
	for (const notice of [input.engine.notice, input.notice]) {
		if (notice) lines.push(...said('!', [{text: notice}], width, {tone: 'warn'}));
	}

	return lines;
}

/** From this pane height on, blank rows set the header, the step's title and the action apart; below it the text needs the rows more. */
const spacedFrom = 12;

/** The lesson pane's content laid out in width × height: what LessonPane draws and how far it scrolls. */
export function lessonScreen(input: LessonScreenInput): LessonScreen {
	const width = Math.max(10, input.width);
	const spaced = input.height >= spacedFrom;
	const blank: Line[] = spaced ? [[]] : [];
	const header = [...headerLines(input.engine, width), ...blank];
	const step = currentStep(input.engine);
	let text = textLines(step, input.facts, width, spaced);
	let action = [...blank, ...actionLines(input, width)];
	const room = Math.max(1, input.height - header.length);
	// The action stays in view under the text; on a very small pane everything scrolls together.
	if (action.length + 3 > room) {
		text = [...text, ...action];
		action = [];
	}

	const textRows = room - action.length;
	const fits = text.length <= textRows;
	const maxScroll = fits ? 0 : text.length - Math.max(1, textRows - 1);
	return {header, text, action, textRows, maxScroll};
}
