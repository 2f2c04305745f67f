/*
 * The course's layout rules (lessons/FORMAT.md, "Keep each step short"), checked with
 * the tutorial's own layout and renderer rather than a copy of them: what fails here is
 * what the learner would see cut or scrolling.
 */

import {columnsOf} from '../ui/lab/format.js';
import {layout, minColumns, minRows, stackBelow} from '../ui/layout.js';
import {lessonScreen, screenInputOf, titleLines, titleRows} from '../ui/lesson/lesson-screen.js';
import {en, type Messages} from '../ui/messages/messages.js';
import type {Nodes} from 'mdast';
import {type Blocks, lineOf, walk} from './lesson-tree.js';
import type {Problem} from './problem.js';
import {type EngineState, initialState, stepKey} from './step-engine.js';
import type {Course, Facts, Lesson, Step} from './types.js';

/** The terminal the course is written for: there every step fits its pane without scrolling. */
export const designTerminal = {columns: 80, rows: 24};

/**
 * The narrowest lesson pane the tutorial ever draws: over the terminals from the smallest
 * it runs in to the first that puts the panes side by side (wider ones only widen it).
 */
export function narrowestPane(lab: boolean): number {
	let narrowest = Number.POSITIVE_INFINITY;
	for (let columns = minColumns; columns <= stackBelow; columns++) narrowest = Math.min(narrowest, layout(columns, minRows, lab).lessonWidth);
	return narrowest;
}

/** The step as the learner sees it on arrival, and once done (a question answered wrongly: the longest reply). */
function moments(course: Course, lessonIndex: number, stepIndex: number): Array<[string, EngineState]> {
	const lesson = course.lessons[lessonIndex]!;
	const step = lesson.steps[stepIndex]!;
	const key = stepKey(lesson, stepIndex);
	const at = {lesson: lessonIndex, step: stepIndex};
	const answers = step.kind === 'question' ? {[key]: {choice: step.answer === 0 ? 1 : 0, correct: false}} : {};
	return [
		['on arrival', initialState(course, at)],
		['once done', initialState(course, {...at, done: {[key]: true}, answers})],
	];
}

/** Code lines wider than `width`: the pane would cut them in two. */
function wideCode(step: Step, width: number): Array<{line: number; columns: number}> {
	const wide: Array<{line: number; columns: number}> = [];
	const look = (blocks: Blocks, lineOfRow: (node: Nodes, row: number) => number) => {
		for (const node of walk(blocks)) {
			if (node.type !== 'code') continue;
			for (const [row, text] of node.value.split('\n').entries()) {
				if (columnsOf(text) > width) wide.push({line: lineOfRow(node, row), columns: columnsOf(text)});
			}
		}
	};

	look(step.text, (node, row) => lineOf(node) + 1 + row);
	// The explanation is a YAML string of the step block: its lines are not the file's.
	if (step.kind === 'question') look(step.explain, () => step.line);
	return wide;
}

function lessonProblems(course: Course, index: number, facts: Facts, messages: Messages): Problem[] {
	const lesson: Lesson = course.lessons[index]!;
	const problems: Problem[] = [];
	const problem = (line: number, message: string) => problems.push({file: lesson.file, line, message});
	const narrow = narrowestPane(lesson.lab);
	const titleTakes = titleLines(lesson.title, narrow).length;
	if (titleTakes > titleRows) {
		problem(1, `the title takes ${titleTakes} rows of the ${narrow}-column lesson pane, where the header shows ${titleRows}: shorten it`);
	}

	const {columns, rows} = designTerminal;
	const {lessonWidth: width, lessonHeight: height} = layout(columns, rows, lesson.lab);
	for (const [stepIndex, step] of lesson.steps.entries()) {
		const name = `step ${stepIndex + 1} "${step.title}"`;
		for (const {line, columns: wide} of wideCode(step, narrow)) {
			problem(line, `${name}: a code line of ${wide} columns is cut where the lesson pane is ${narrow} columns wide`);
		}

		for (const [when, engine] of moments(course, index, stepIndex)) {
			const screen = lessonScreen({...screenInputOf(engine, facts), lab: 'running', width, height, messages});
			if (screen.maxScroll === 0) continue;
			problem(
				step.line,
				`${name}: ${when}, it takes ${screen.text.length} rows; the lesson pane has ${screen.textRows} in a terminal of ${columns} × ${rows}: shorten it or split it`,
			);
			break;
		}
	}

	return problems;
}

/**
 * Every lesson and step checked against the tutorial's layout, facts shown as in `facts`
 * (unknown ones as …), the tutorial's own lines (what to press, what it waits for) in the
 * course's language.
 */
export function layoutProblems(course: Course, facts: Facts = {}, messages: Messages = en): Problem[] {
	return course.lessons.flatMap((_lesson, index) => lessonProblems(course, index, facts, messages));
}
