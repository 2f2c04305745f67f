/*
 * An exercise's translation against its original (lessons/FORMAT.md, "Exercises"): the
 * words are the translator's; what the lab runs and checks is not. The same exercises in
 * the same order, each with the same lab (scenario, nat-timeout, server-keepalive), settings, fault plan, check, recorded run, solution
 * values and number of hints, so that a value set passes in one language as in the other.
 */
import type {Problem} from '../lessons/problem.js';
import {faultText, writeText} from './fault-plan.js';
import {knobs, rangeText} from './settings.js';
import type {Exercise} from './types.js';

/** What of an exercise its translation must keep, by front matter field, in the words a message shows it with. */
function structure(exercise: Exercise): Record<string, string> {
	const {solution, recorded, run} = exercise;
	const lab = [`scenario ${run.scenario ?? 'drop'}`, run.natTimeout === undefined ? '' : `, nat-timeout ${run.natTimeout}`, run.serverKeepalive === undefined ? '' : `, server-keepalive ${run.serverKeepalive}`];
	return {
		scenario: `lab ${lab.join('')}`,
		settings: `settings ${knobs.map(knob => rangeText(knob, exercise.settings[knob])).join(', ')}`,
		fault: `fault ${[...exercise.fault.map(faultText), ...exercise.writes.map(writeText)].join(', ')}`,
		check: `check ${exercise.check.map(({text}) => `\`${text}\``).join(', ')}`,
		recorded: recorded === undefined ? 'no recorded run' : `recorded probes ${recorded.probes.join(', ')}, rst ${recorded.rst}`,
		hints: `${exercise.hints.length} hint${exercise.hints.length === 1 ? '' : 's'}`,
		solution: `solution idle ${solution.idle}, intvl ${solution.intvl}, probes ${solution.probes}`,
	};
}

/** Every way the `lang` translation's exercises differ from the original's. Files are relative to the original's folder. */
export function exerciseTranslationProblems(original: readonly Exercise[], translation: readonly Exercise[], lang: string): Problem[] {
	const problems: Problem[] = [];
	const ids = (list: readonly Exercise[]) => list.map(exercise => exercise.id);
	const shared = (list: readonly Exercise[], other: readonly Exercise[]) => ids(list).filter(id => ids(other).includes(id));
	const [originalOrder, translatedOrder] = [shared(original, translation), shared(translation, original)];
	for (const [index, exercise] of original.entries()) {
		const counterpart = translation.find(other => other.id === exercise.id);
		if (!counterpart) {
			problems.push({file: exercise.file, line: 1, message: `exercise "${exercise.id}" has no ${lang} translation: ${lang}/index.yaml lists no exercise with this id`});
			continue;
		}

		const file = `${lang}/${counterpart.file}`;
		if (originalOrder.indexOf(exercise.id) !== translatedOrder.indexOf(exercise.id)) {
			problems.push({file, line: 1, message: `exercise "${exercise.id}" is exercise ${translation.indexOf(counterpart) + 1} here and exercise ${index + 1} in the original (${exercise.file}): list the exercises in the same order`});
		}

		const [mine, theirs] = [structure(counterpart), structure(exercise)];
		for (const [field, text] of Object.entries(mine)) {
			if (text === theirs[field]) continue;
			const line = counterpart.lines[field] ?? 1;
			problems.push({file, line, message: `${text}, where the original (${exercise.file}:${exercise.lines[field] ?? 1}) has ${theirs[field]}`});
		}
	}

	for (const exercise of translation.filter(other => !ids(original).includes(other.id))) {
		problems.push({file: `${lang}/${exercise.file}`, line: 1, message: `exercise "${exercise.id}" is not in the original course: index.yaml lists no exercise with this id`});
	}

	return problems;
}
