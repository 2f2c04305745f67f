import path from 'node:path';
import {layoutProblems} from './check-layout.js';
import {translationProblems} from './check-translation.js';
import {messagesFor} from '../ui/messages/messages.js';
import {translationsOf} from './course.js';
import {isLanguage, type Language, originalLanguage} from './language.js';
import {readCourse} from './load.js';
import {counted, formatProblem, type Problem} from './problem.js';
import type {Course} from './types.js';

/**
 * One course folder: first its format (lessons/FORMAT.md), then, once that is clean, its
 * layout in the tutorial's panes, in the words of its language.
 */
function checkOne(dir: string, lang: Language): {course?: Course; problems: Problem[]} {
	const {course, problems} = readCourse(dir);
	return course ? {course, problems: layoutProblems(course, {}, messagesFor(lang))} : {problems};
}

/**
 * Every problem of the course in `dir` and of each of its translations (its subfolders
 * such as zh/, see course.ts): each is checked on its own, and each translation against
 * the original. Files are relative to `dir`; `translations` names the ones found.
 */
export function checkCourse(dir: string): {course?: Course; problems: Problem[]; translations: string[]} {
	const {course, problems} = checkOne(dir, originalLanguage);
	const translations = translationsOf(dir);
	for (const {lang, dir: folder} of translations) {
		// A translation the tutorial has no words for is laid out with the original's.
		const translated = checkOne(folder, isLanguage(lang) ? lang : originalLanguage);
		problems.push(...translated.problems.map(problem => ({...problem, file: `${lang}/${problem.file}`})));
		if (course && translated.course) problems.push(...translationProblems(course, translated.course, lang));
	}

	return {...(course ? {course} : {}), problems, translations: translations.map(({lang}) => lang)};
}

/**
 * `ka-tutorial check-lessons [DIR]`: writes each problem as `file:line: message` (the
 * file as seen from `cwd`), then a summary line. Returns the exit code: 0 clean, 1 not.
 */
export function runCheckLessons(dir: string, write: (text: string) => void, cwd = process.cwd()): number {
	const shown = path.relative(cwd, path.resolve(cwd, dir)) || '.';
	const {course, problems, translations} = checkCourse(dir);
	for (const problem of problems) write(`${formatProblem(problem, shown)}\n`);
	if (problems.length > 0 || !course) {
		write(`${counted(problems.length, 'problem')} in ${shown}\n`);
		return 1;
	}

	const steps = course.lessons.reduce((sum, lesson) => sum + lesson.steps.length, 0);
	const translated = translations.length === 0 ? '' : `, translated into ${translations.join(', ')}`;
	write(`${shown}: ${counted(course.lessons.length, 'lesson')}, ${counted(steps, 'step')}${translated}, no problems\n`);
	return 0;
}
