/*
 * A translation checked against its original (lessons/FORMAT.md, "Translations"). The
 * words are the translator's; what the tutorial does with them is not: the same lessons
 * in the same order, each with the same lab, sysctls and lab run (scenario, values …), and
 * step by step the same kind, condition, key and action (and line written), right answer, number of choices and facts shown. Then
 * progress saved in one language holds in the other, and the lab runs the same course.
 */
import {exerciseTranslationProblems} from '../exercises/translation-problems.js';
import {type KeepaliveParams, sysctlNames} from '../lab/shared/params.js';
import {choiceLetter} from './choices.js';
import {conditionText} from './condition.js';
import {stepFacts} from './step-facts.js';
import {counted, type Problem} from './problem.js';
import type {Course, Lesson, Step} from './types.js';

/** What of a step its translation must keep, each part in the words a message shows it with. */
function structure(step: Step): string[] {
	const facts = [...new Set(stepFacts(step).map(fact => fact.name))].sort();
	const shows = facts.length === 0 ? 'no facts' : `the facts ${facts.map(name => `{{${name}}}`).join(' ')}`;
	switch (step.kind) {
		case 'read': {
			return [shows];
		}

		case 'wait': {
			return [`until \`${conditionText(step.until)}\``, shows];
		}

		case 'prompt': {
			return [`key \`${step.key}\``, `action ${step.action}${step.writes === undefined ? '' : ` writing ${JSON.stringify(step.writes)}`}`, shows];
		}

		case 'question': {
			return [`answer ${choiceLetter(step.answer)}`, `${step.choices.length} choices`, shows];
		}
	}
}

/** The lesson's `sysctls:` as its front matter writes them. */
function sysctlsText({sysctls}: Lesson): string {
	const set = (Object.keys(sysctlNames) as Array<keyof KeepaliveParams>).filter(knob => sysctls?.[knob] !== undefined);
	return set.length === 0 ? 'no sysctls' : `sysctls ${set.map(knob => `${sysctlNames[knob]}: ${sysctls?.[knob]}`).join(', ')}`;
}

/** How the lesson's lab runs, as its front matter writes it. */
function runText({run}: Lesson): string {
	if (!run) return 'the default lab run';
	const {scenario, values, userTimeout, serverKeepalive, natTimeout} = run;
	const parts = [
		scenario === undefined ? '' : `scenario: ${scenario}`,
		values === undefined ? '' : `values: idle ${values.idle}, intvl ${values.intvl}, probes ${values.probes}`,
		userTimeout === undefined ? '' : `user-timeout: ${userTimeout}`,
		serverKeepalive === undefined ? '' : `server-keepalive: ${serverKeepalive}`,
		natTimeout === undefined ? '' : `nat-timeout: ${natTimeout}`,
	];
	return parts.filter(part => part !== '').join(', ');
}

/** The translated lesson against its original: its front matter, then step by step. Files as in the translation's course. */
function lessonProblems(original: Lesson, translated: Lesson): Problem[] {
	const problems: Problem[] = [];
	const problem = (line: number, message: string) => problems.push({file: translated.file, line, message});
	const where = (line: number) => `the original (${original.file}:${line})`;
	if (translated.lab !== original.lab) problem(1, `lab: ${translated.lab}, where ${where(1)} has lab: ${original.lab}`);
	if (sysctlsText(translated) !== sysctlsText(original)) problem(1, `${sysctlsText(translated)}, where ${where(1)} has ${sysctlsText(original)}`);
	if (runText(translated) !== runText(original)) problem(1, `${runText(translated)}, where ${where(1)} has ${runText(original)}`);
	for (const [index, step] of translated.steps.entries()) {
		const name = `step ${index + 1} "${step.title}"`;
		const source = original.steps[index];
		if (!source) {
			problem(step.line, `${name} is not in the original (${original.file}), which has ${counted(original.steps.length, 'step')}`);
			continue;
		}

		if (step.kind !== source.kind) {
			problem(step.line, `${name} is a ${step.kind} step, where ${where(source.line)} has a ${source.kind} step`);
			continue;
		}

		const [mine, theirs] = [structure(step), structure(source)];
		for (const [part, text] of mine.entries()) {
			if (text !== theirs[part]) problem(step.line, `${name}: ${text}, where ${where(source.line)} has ${theirs[part]}`);
		}
	}

	for (const [index, step] of original.steps.slice(translated.steps.length).entries()) {
		const number = translated.steps.length + index + 1;
		problem(1, `step ${number} of ${where(step.line)}, "${step.title}", is not translated: this lesson has ${counted(translated.steps.length, 'step')}`);
	}

	return problems;
}

/**
 * Every way the `lang` translation of a course differs from its original in what the
 * tutorial does, its exercises included. Files are relative to the original's folder: `06-cut.md`, `zh/06-cut.md`.
 */
export function translationProblems(original: Course, translation: Course, lang: string): Problem[] {
	const problems: Problem[] = [];
	const translated = (problem: Problem) => problems.push({...problem, file: `${lang}/${problem.file}`});
	const ids = (course: Course) => course.lessons.map(lesson => lesson.id);
	// The order is that of the lessons both have, so that one lesson missing is one problem.
	const shared = (course: Course, other: Course) => ids(course).filter(id => ids(other).includes(id));
	const [originalOrder, translatedOrder] = [shared(original, translation), shared(translation, original)];
	for (const [index, lesson] of original.lessons.entries()) {
		const at = ids(translation).indexOf(lesson.id);
		const counterpart = translation.lessons[at];
		if (!counterpart) {
			problems.push({file: lesson.file, line: 1, message: `lesson "${lesson.id}" has no ${lang} translation: ${lang}/index.yaml lists no lesson with this id`});
			continue;
		}

		if (originalOrder.indexOf(lesson.id) !== translatedOrder.indexOf(lesson.id)) {
			translated({file: counterpart.file, line: 1, message: `lesson "${lesson.id}" is lesson ${at + 1} here and lesson ${index + 1} in the original (${lesson.file}): list the lessons in the same order`});
		}

		for (const problem of lessonProblems(lesson, counterpart)) translated(problem);
	}

	for (const lesson of translation.lessons.filter(other => !ids(original).includes(other.id))) {
		translated({file: lesson.file, line: 1, message: `lesson "${lesson.id}" is not in the original course: index.yaml lists no lesson with this id`});
	}

	problems.push(...exerciseTranslationProblems(original.exercises, translation.exercises, lang));
	return problems;
}
