import {choiceLetter} from '../../lessons/choices.js';
import {
	answerOf,
	conditionProgress,
	currentKey,
	currentLesson,
	currentStep,
	type EnginePlace,
	type EngineState,
	isStepDone,
	promptStatus,
} from '../../lessons/step-engine.js';
import {factsIn} from '../../lessons/lesson-tree.js';
import type {RunState} from '../../lab/model/run-state.js';
import type {Condition, Facts, Step} from '../../lessons/types.js';
import {columnsOf} from '../lab/format.js';
import {type AroundKey, en, type Messages} from '../messages/messages.js';
import {inlineSpans, type Line, markdownLines, type Span, type Style, wrapSpans} from './markdown.js';
import {type PaneScreen, paneScreen, spacedFrom} from './pane-screen.js';

/** Where the lab stands, as far as the lesson text cares. */
export type LabStatus = 'none' | 'starting' | 'running' | 'ended' | 'unavailable';

/** What the lesson pane shows of the lab run. */
export type ScreenRun = {
	/** A wait step's condition so far (conditionProgress); 0 of 0 for other steps. */
	progress: {have: number; need: number};
	firewallProblem: RunState['firewallProblem'];
};

export type LessonScreenInput = {
	engine: EnginePlace;
	run: ScreenRun;
	/** Facts for the {{placeholders}}: the run's, the kernel's newest and the host's (screenInputOf keeps those the step shows). */
	facts: Facts;
	lab: LabStatus;
	/** A message of the app's own (besides the step engine's notice). */
	notice?: string | null;
	width: number;
	height: number;
	/** The words of the screen; English unless told (the course check lays out steps without a catalog). */
	messages?: Messages;
	/** How many exercises follow the lessons (the course's end says how to get to them). */
	exercises?: number;
};

const dim: Style = {dim: true};

/** Words of the conditions that the kernel's keepalive timer is counting down to. */
function waitsOnTimer(condition: Condition): boolean {
	return condition.type === 'packet' || condition.type === 'probes-out' || condition.type === 'socket-error';
}

/** The facts a timer wait shows besides its step's text: the server's timer and when it fires. */
const timerFacts = ['kernel.server.dueIn', 'kernel.server.timer'] as const;

const namesByStep = new WeakMap<Step, readonly string[]>();
/** The facts a step can show: its text's, its choices' and explanation's, a timer wait's. */
function factNames(step: Step): readonly string[] {
	let names = namesByStep.get(step);
	if (!names) {
		const nodes = step.kind === 'question' ? [...step.text, ...step.choices.flat(), ...step.explain] : step.text;
		names = [...new Set([...factsIn(nodes).map(fact => fact.name), ...(step.kind === 'wait' && waitsOnTimer(step.until) ? timerFacts : [])])];
		namesByStep.set(step, names);
	}

	return names;
}

/**
 * What lessonScreen reads of the engine and the facts: where the learner is, the current
 * step's progress, and only the facts that step shows. The run and the kernel's readings
 * change with every lab event; two events that leave these equal leave the screen as it was.
 */
export function screenInputOf(engine: EngineState, facts: Facts): Pick<LessonScreenInput, 'engine' | 'run' | 'facts'> {
	const {lessons, lesson, step, done, answers, pressed, notice, finished, run} = engine;
	const current = currentStep(engine);
	const shown: Facts = {};
	for (const name of factNames(current)) if (facts[name] !== undefined) shown[name] = facts[name];
	return {
		engine: {lessons, lesson, step, done, answers, pressed, notice, finished},
		run: {progress: current.kind === 'wait' ? conditionProgress(current.until, run) : {have: 0, need: 0}, firewallProblem: run.firewallProblem},
		facts: shown,
	};
}

/** Rows the header gives the lesson's title; the rest of a longer title is cut. */
export const titleRows = 2;

/** A lesson's title as the header wraps it in `width` columns, before it is cut to titleRows. */
export function titleLines(title: string, width: number): Line[] {
	return wrapSpans([{text: title, style: {tone: 'title'}}], width);
}

function headerLines(engine: EnginePlace, width: number, m: Messages): Line[] {
	const lesson = currentLesson(engine);
	const steps = lesson.steps.length;
	const dots = lesson.steps
		.map((_step, index) => (index === engine.step ? '◉' : isStepDone(engine, engine.lesson, index) ? '●' : '○'))
		.join('');
	const progress = m.lesson.progress(engine.lesson + 1, engine.lessons.length, engine.step + 1, steps);
	const second: Line =
		columnsOf(progress) + 1 + steps <= width ? [{text: progress, style: dim}, {text: ' '}, {text: dots, style: dim}] : [{text: progress, style: dim}];
	return [...titleLines(lesson.title, width).slice(0, titleRows), second];
}

function textLines(step: Step, facts: Facts, width: number, spaced: boolean): Line[] {
	const title = wrapSpans([{text: step.title, style: {strong: true}}], width);
	return [...title, ...(spaced ? [[]] : []), ...markdownLines(step.text, facts, width)];
}

/** A message with a leading sign and a hanging indent. */
export function said(sign: string, spans: Span[], width: number, style?: Style): Line[] {
	const first: Span = style ? {text: `${sign} `, style} : {text: `${sign} `};
	return wrapSpans(
		spans.map(span => (style && !span.style ? {...span, style} : span)),
		width,
		[first],
		[{text: ' '.repeat(columnsOf(first.text))}],
	);
}

/** "Press d to …": the key drawn as a key between the catalog's two texts. */
export function pressLines(around: AroundKey, key: string, width: number): Line[] {
	return said('▶', [{text: around.before}, {text: key, style: {tone: 'key'}}, {text: around.after}], width, {tone: 'key'});
}

function needsLab(lab: LabStatus, width: number, m: Messages): Line[] {
	if (lab === 'unavailable' || lab === 'none') return said('!', [{text: m.lesson.needsLab}], width, {tone: 'warn'});
	return [];
}

function waitLines(input: LessonScreenInput, condition: Condition, width: number, m: Messages): Line[] {
	const {engine, run, facts, lab} = input;
	const what = m.lesson.condition(condition);
	if (engine.done[currentKey(engine)]) {
		return [...said('✓', [{text: m.lesson.waited(what)}], width, {tone: 'ok'}), ...said(' ', [{text: m.lesson.goOn, style: dim}], width)];
	}

	const missing = needsLab(lab, width, m);
	if (missing.length > 0) return missing;
	const {have, need} = run.progress;
	const lines = said('…', [{text: m.lesson.waiting(what, have, need)}], width);
	const dueIn = facts[timerFacts[0]];
	if (lab === 'starting') lines.push(...said(' ', [{text: m.lesson.labStarting, style: dim}], width));
	else if (lab === 'ended') {
		lines.push(...said('!', [{text: m.lesson.runEnded}], width, {tone: 'warn'}));
	} else if (waitsOnTimer(condition) && facts[timerFacts[1]] === 'keepalive' && dueIn !== undefined) {
		const due = m.lesson.timerDue(dueIn);
		lines.push(...said(' ', [{text: due.before, style: dim}, {text: due.value, style: {fact: true}}, {text: due.after, style: dim}], width));
	}

	return lines;
}

function promptLines(input: LessonScreenInput, step: Extract<Step, {kind: 'prompt'}>, width: number, m: Messages): Line[] {
	const status = promptStatus(input.engine);
	if (status === 'done') {
		return [...said('✓', [{text: m.lesson.done(step.action)}], width, {tone: 'ok'}), ...said(' ', [{text: m.lesson.goOn, style: dim}], width)];
	}

	const missing = needsLab(input.lab, width, m);
	if (missing.length > 0) return missing;
	const noDrop = input.run.firewallProblem;
	if (noDrop && step.action !== 'restart') {
		// The lab runs without a firewall tool: only the drop is missing, and what to install instead of the key.
		return [
			...said('!', [{text: m.lesson.noDrop(noDrop.message)}], width, {tone: 'warn'}),
			...said(' ', [{text: m.lesson.noDropFix(noDrop.fix), style: dim}], width),
		];
	}

	if (status === 'waiting-for-lab') return said('…', [{text: m.lesson.confirming}], width);
	const lines = pressLines(m.lesson.press(step.action), step.key, width);
	if (input.lab === 'starting') lines.push(...said(' ', [{text: m.lesson.labStarting, style: dim}], width));
	return lines;
}

function questionLines(input: LessonScreenInput, step: Extract<Step, {kind: 'question'}>, width: number, m: Messages): Line[] {
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
		lines.push(...pressLines(m.lesson.pressToAnswer, `a–${choiceLetter(step.choices.length - 1)}`, width));
		return lines;
	}

	lines.push(
		...(answer.correct
			? said('✓', [{text: m.lesson.right}], width, {tone: 'ok'})
			: said('✗', [{text: m.lesson.notQuite(choiceLetter(step.answer))}], width, {tone: 'bad'})),
	);
	lines.push(...markdownLines(step.explain, input.facts, width));
	return lines;
}

function readLines({engine, exercises = 0}: LessonScreenInput, width: number, m: Messages): Line[] {
	if (engine.finished) {
		const hint = exercises > 0 ? m.lesson.finishedExercises : m.lesson.finishedHint;
		return [...said('✓', [{text: m.lesson.finished}], width, {tone: 'ok'}), ...said(' ', [{text: hint, style: dim}], width)];
	}

	const lesson = currentLesson(engine);
	const last = engine.step === lesson.steps.length - 1;
	const nextLesson = engine.lessons[engine.lesson + 1];
	const text = !last ? m.lesson.nextStep : nextLesson ? m.lesson.nextLesson(engine.lesson + 2, nextLesson.title) : m.lesson.finishCourse;
	return said('→', [{text, style: dim}], width, dim);
}

function actionLines(input: LessonScreenInput, width: number, m: Messages): Line[] {
	const step = currentStep(input.engine);
	const lines: Line[] =
		step.kind === 'read'
			? readLines(input, width, m)
			: step.kind === 'wait'
				? waitLines(input, step.until, width, m)
				: step.kind === 'prompt'
					? promptLines(input, step, width, m)
					: questionLines(input, step, width, m);
	// A finished course ends on a read step whose text already says so.
	if (input.engine.finished && step.kind !== 'read') lines.push(...readLines(input, width, m));
	for (const notice of [input.engine.notice && m.lesson.engineNotice(input.engine.notice), input.notice]) {
		if (notice) lines.push(...said('!', [{text: notice}], width, {tone: 'warn'}));
	}

	return lines;
}

/** The lesson pane's content laid out in width × height: what LessonPane draws and how far it scrolls. */
export function lessonScreen(input: LessonScreenInput): PaneScreen {
	const width = Math.max(10, input.width);
	const m = input.messages ?? en;
	const spaced = input.height >= spacedFrom;
	const blank: Line[] = spaced ? [[]] : [];
	const header = [...headerLines(input.engine, width, m), ...blank];
	const step = currentStep(input.engine);
	return paneScreen(header, textLines(step, input.facts, width, spaced), [...blank, ...actionLines(input, width, m)], input.height);
}
