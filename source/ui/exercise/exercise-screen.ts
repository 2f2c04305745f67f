import {knobs} from '../../exercises/settings.js';
import type {Exercise} from '../../exercises/types.js';
import {type CheckStatus, verdictReason} from '../../exercises/verdict.js';
import {pressLines, said, titleLines, titleRows} from '../lesson/lesson-screen.js';
import {type Line, lineWidth, markdownLines, type Span, type Style, wrapSpans} from '../lesson/markdown.js';
import {actionFits, type PaneScreen, paneScreen, spacedFrom} from '../lesson/pane-screen.js';
import type {Messages} from '../messages/messages.js';
import {type ExerciseScreen, fieldValue, focusedKnob, isRunning, type Knob, solutionShown} from './exercise-state.js';

export type ExerciseScreenInput = {
	exercise: Exercise;
	screen: ExerciseScreen;
	/** How many exercises the course has. */
	count: number;
	/** Passed in this run of the tutorial or an earlier one. */
	passed: boolean;
	notice: string | null;
	width: number;
	height: number;
	messages: Messages;
};

const dim: Style = {dim: true};
const noFacts = {};
const marks: Record<CheckStatus, {sign: string; style: Style}> = {
	pass: {sign: '✓', style: {tone: 'ok'}},
	fail: {sign: '✗', style: {tone: 'bad'}},
	pending: {sign: '…', style: dim},
};

/** `idle 1..30 s`, in the catalog's words. */
export function rangeOf(exercise: Exercise, knob: Knob, m: Messages): string {
	const {min, max} = exercise.settings[knob];
	return m.exercise.range(knob, min, max, knob === 'probes' ? '' : m.exercise.unit);
}

function headerLines({exercise, count, passed, screen, width, messages: m}: ExerciseScreenInput): Line[] {
	const progress: Line = [{text: m.exercise.progress(screen.index + 1, count), style: dim}, ...(passed ? [{text: `  ${m.exercise.passed}`, style: {tone: 'ok'}} satisfies Span] : [])];
	return [...titleLines(exercise.title, width).slice(0, titleRows), progress];
}

/** The goal, the situation, the hints shown so far and the solution once asked for. */
function textLines({exercise, screen, width, messages: m}: ExerciseScreenInput, spaced: boolean): Line[] {
	const gap: Line[] = spaced ? [[]] : [];
	const lines = [...wrapSpans([{text: m.exercise.goal, style: {strong: true}}, {text: exercise.goal}], width), ...gap, ...markdownLines(exercise.text, noFacts, width)];
	for (const item of screen.shown) {
		if (item === 'solution') {
			const {idle, intvl, probes, why} = exercise.solution;
			const values = m.exercise.solutionValues(idle, intvl, probes);
			lines.push([], ...wrapSpans([{text: m.exercise.solution, style: {strong: true, tone: 'ok'}}, {text: values, style: {code: true}}], width), ...markdownLines(why, noFacts, width));
		} else {
			const heading: Line = [{text: m.exercise.hint(item + 1, exercise.hints.length), style: {strong: true, tone: 'warn'}}];
			lines.push([], heading, ...markdownLines(exercise.hints[item] ?? [], noFacts, width));
		}
	}

	return lines;
}

/** The form: each knob's value, the focused one marked; one row when all fit (without the units if need be: the range names them), else one row each. */
function formLines(input: ExerciseScreenInput): Line[] {
	const withUnits = fieldLines(input, true);
	return oneRow(withUnits, input.width) ?? oneRow(fieldLines(input, false), input.width) ?? withUnits;
}

/** The fields side by side, two columns apart where they fit, else one; null when they do not fit. */
function oneRow(fields: Line[], width: number): Line[] | null {
	const used = fields.reduce((sum, field) => sum + lineWidth(field), 0);
	const gap = [2, 1].find(columns => used + columns * (fields.length - 1) <= width);
	if (gap === undefined) return null;
	return [fields.flatMap((field, index) => (index === 0 ? field : [{text: ' '.repeat(gap)}, ...field]))];
}

function fieldLines({exercise, screen, messages: m}: ExerciseScreenInput, units: boolean): Line[] {
	const editing = !isRunning(screen);
	return knobs.map((knob, index): Line => {
		const focused = editing && index === screen.focus;
		const digits = Math.max(2, String(exercise.settings[knob].max).length);
		const value = screen.fields[knob].padEnd(digits);
		const bad = screen.invalid === knob;
		const box: Style = focused ? {tone: 'key', strong: true} : bad ? {tone: 'bad'} : {};
		const unit = knob === 'probes' || !units ? '' : ` ${m.exercise.unit}`;
		return [{text: focused ? '▸' : ' ', style: {tone: 'key'}}, {text: `${knob} `}, {text: `[${value}]`, style: box}, {text: unit, style: dim}];
	});
}

/** Under the form: why a value was refused, else the focused knob's range. */
function rangeLine({exercise, screen, width, messages: m}: ExerciseScreenInput): Line[] {
	if (screen.invalid !== null) {
		const knob = screen.invalid;
		const text = screen.fields[knob];
		const range = rangeOf(exercise, knob, m);
		const why = /^\d+$/.test(text) ? m.exercise.outside(knob, text, range) : m.exercise.notWhole(knob, range);
		return said('!', [{text: why}], width, {tone: 'bad'});
	}

	if (isRunning(screen)) return [];
	const knob = focusedKnob(screen);
	const ok = fieldValue(exercise, screen, knob) !== null || screen.fields[knob] === '';
	return said(' ', [{text: m.exercise.allowed(rangeOf(exercise, knob, m)), style: ok ? dim : {tone: 'warn'}}], width);
}

/** How much of the run a pane shows: all; without the conditions' marks; also without what to do next (the key hints still say it). */
type Detail = 'full' | 'compact' | 'least';

/** The run: each condition of the check with its mark, then the verdict and its reason, and what to do next; less as `detail` says. */
function runLines(input: ExerciseScreenInput, detail: Detail): Line[] {
	const {screen, width, messages: m} = input;
	const {run} = screen;
	if (!run) return pressLines(m.exercise.pressRun, 'enter', width);
	const lines: Line[] = [];
	if (run.verdict && detail === 'full') {
		for (const result of run.verdict.results) {
			const {sign, style} = marks[result.status];
			lines.push(...said(sign, [{text: result.text, style: {code: true}}], width, style));
		}
	}

	if (run.phase !== 'done') {
		lines.push(...said('…', [{text: run.phase === 'starting' ? m.exercise.starting : m.exercise.running}], width));
		return lines;
	}

	const status = run.verdict?.status ?? 'fail';
	const head = m.exercise.verdict[status];
	const reason = run.verdict ? verdictReason(run.verdict) : '';
	if (run.verdict) lines.push(...said(marks[status].sign, [{text: head, style: {strong: true}}, {text: reason}], width, marks[status].style));
	if (run.failure !== null) {
		const why = run.verdict ? m.exercise.endedEarly(run.failure) : m.exercise.couldNotRun(run.failure);
		lines.push(...said('!', [{text: why}], width, {tone: 'warn'}));
	}

	if (detail === 'least') return lines;
	if (status !== 'pass' && !solutionShown(screen)) lines.push(...pressLines(m.exercise.offerSolution, 's', width));
	else if (status === 'pass' && screen.index + 1 < input.count) lines.push(...pressLines(m.exercise.nextExercise, 'n', width));
	else if (status !== 'pass') lines.push(...pressLines(m.exercise.pressRun, 'enter', width));
	return lines;
}

/** The exercise pane's content laid out in width × height, as the lesson pane's is. */
export function exerciseScreen(input: ExerciseScreenInput): PaneScreen {
	const width = Math.max(10, input.width);
	const sized = {...input, width};
	const {screen} = input;
	const spaced = input.height >= spacedFrom;
	const blank: Line[] = spaced ? [[]] : [];
	const notice = input.notice === null ? [] : said('!', [{text: input.notice}], width, {tone: 'warn'});
	const header = [...headerLines(sized), ...blank];
	const range = rangeLine(sized);
	const text = textLines(sized, spaced);
	const full = [...blank, ...formLines(sized), ...range, ...runLines(sized, 'full'), ...notice];
	if (actionFits(header, full, input.height)) return paneScreen(header, text, full, input.height);
	// Short of rows, the conditions' marks and the range go first (a refused value's reason stays), then what to do next, and the
	// text may shrink to its scroll hint: the form and the verdict stay in view.
	const less = (detail: Detail) => [...formLines(sized), ...(screen.invalid === null ? [] : range), ...runLines(sized, detail), ...notice];
	const compact = less('compact');
	return actionFits(header, compact, input.height, 2) ? paneScreen(header, text, compact, input.height, 2) : paneScreen(header, text, less('least'), input.height, 1);
}
