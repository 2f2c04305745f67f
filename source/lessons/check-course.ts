import path from 'node:path';
import {layoutProblems} from './check-layout.js';
import {readCourse} from './load.js';
import {formatProblem, type Problem} from './problem.js';
import type {Course} from './types.js';

/**
 * Every problem of the course in `dir`: first its format (lessons/FORMAT.md), then, once
 * that is clean, its layout in the tutorial's panes. Files are relative to `dir`.
 */
export function checkCourse(dir: string): {course?: Course; problems: Problem[]} {
	const {course, problems} = readCourse(dir);
	return course ? {course, problems: layoutProblems(course)} : {problems};
}

const counted = (count: number, what: string): string => `${count} ${what}${count === 1 ? '' : 's'}`;

/**
 * `ka-tutorial check-lessons [DIR]`: writes each problem as `file:line: message` (the
 * file as seen from `cwd`), then a summary line. Returns the exit code: 0 clean, 1 not.
 */
export function runCheckLessons(dir: string, write: (text: string) => void, cwd = process.cwd()): number {
	const shown = path.relative(cwd, path.resolve(cwd, dir)) || '.';
	const {course, problems} = checkCourse(dir);
	for (const problem of problems) write(`${formatProblem(problem, shown)}\n`);
	if (problems.length > 0 || !course) {
		write(`${counted(problems.length, 'problem')} in ${shown}\n`);
		return 1;
	}

	const steps = course.lessons.reduce((sum, lesson) => sum + lesson.steps.length, 0);
	write(`${shown}: ${counted(course.lessons.length, 'lesson')}, ${counted(steps, 'step')}, no problems\n`);
	return 0;
}
