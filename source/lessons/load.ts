import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {readExercise} from '../exercises/parse-exercise.js';
import type {Exercise} from '../exercises/types.js';
import {type KeepaliveParams, sysctlNames} from '../lab/shared/params.js';
import {manifestName, notACourse} from './course.js';
import {readLesson} from './parse.js';
import {collecting, list, orThrow, type Problem} from './problem.js';
import type {Course, Lesson} from './types.js';
import {yamlFields} from './yaml-fields.js';

const manifestFields = ['title', 'lessons', 'exercises'];

/** A course folder read: the course when it is valid, and every problem found (files relative to the folder). */
export type CourseRead = {course?: Course; problems: Problem[]};

/**
 * Reads `index.yaml` (a `title`, the ordered list of `lessons` files and, optionally, of
 * `exercises` files) and every file it names: files missing or listed twice, ids used
 * twice, sysctls set two ways, and everything readLesson and readExercise find.
 */
export function readCourse(dir: string): CourseRead {
	const why = notACourse(dir);
	if (why !== undefined) return {problems: [{file: manifestName, line: 1, message: why}]};
	const problems: Problem[] = [];
	const manifest = collecting(problems, () =>
		yamlFields(readFileSync(path.join(dir, manifestName), 'utf8'), {file: manifestName, line: 1}, 'the manifest', 'expected `title:` and `lessons:` (a list of lesson files)'),
	);
	if (!manifest) return {problems};
	const {values, lineOf} = manifest;
	const problem = (line: number, message: string) => problems.push({file: manifestName, line, message});
	for (const key of Object.keys(values)) {
		if (!manifestFields.includes(key)) problem(lineOf(key), `unknown field \`${key}\` (expected ${list(manifestFields)})`);
	}

	const {title, lessons: files, exercises: exerciseFiles = []} = values;
	if (typeof title !== 'string' || title.trim() === '') problem(lineOf('title'), '`title` must be a non-empty text');
	if (!Array.isArray(files) || files.length === 0) {
		problem(lineOf('lessons'), '`lessons` must be a non-empty list of lesson files');
		return {problems};
	}

	const seen = new Set<string>();
	const lessons = readEntries(dir, 'lesson', files as unknown[], index => lineOf('lessons', index), seen, problems, readLesson);
	problems.push(...sysctlClashes(lessons));
	if (!Array.isArray(exerciseFiles)) problem(lineOf('exercises'), '`exercises` must be a list of exercise files');
	const exercises = Array.isArray(exerciseFiles) ? readEntries(dir, 'exercise', exerciseFiles, index => lineOf('exercises', index), seen, problems, readExercise) : new Map<Exercise, number>();
	if (problems.length > 0) return {problems};
	return {course: {title: (title as string).trim(), lessons: [...lessons.keys()], exercises: [...exercises.keys()]}, problems};
}

/** What is wrong with a manifest entry, or undefined when it names a file to read. */
function entryProblem(dir: string, what: string, entry: unknown, seen: ReadonlySet<string>): string | undefined {
	const name = typeof entry === 'string' ? entry.trim() : '';
	if (name === '') return `every entry of \`${what}s\` must be a file name; got ${JSON.stringify(entry)}`;
	if (path.isAbsolute(name) || name.split(/[/\\]/).includes('..')) return `${what} file "${name}" must be inside the lessons folder`;
	if (seen.has(name)) return `${what} file "${name}" is listed twice`;
	if (!existsSync(path.join(dir, name))) return `${what} file "${name}" does not exist`;
	return undefined;
}

type Read<T> = (file: string, source: string) => {problems: Problem[]} & Partial<Record<'lesson' | 'exercise', T>>;

/** The manifest's files of one list, read (their problems go into `problems`); each valid one with its manifest line. */
function readEntries<T extends {id: string; file: string}>(
	dir: string,
	what: 'lesson' | 'exercise',
	entries: readonly unknown[],
	lineOf: (index: number) => number,
	seen: Set<string>,
	problems: Problem[],
	read: Read<T>,
): Map<T, number> {
	const found = new Map<T, number>();
	for (const [index, entry] of entries.entries()) {
		const line = lineOf(index);
		const wrong = entryProblem(dir, what, entry, seen);
		if (wrong !== undefined) {
			problems.push({file: manifestName, line, message: wrong});
			continue;
		}

		const name = (entry as string).trim();
		seen.add(name);
		const result = read(name, readFileSync(path.join(dir, name), 'utf8'));
		problems.push(...result.problems);
		const item = result[what];
		if (!item) continue;
		const other = [...found.keys()].find(known => known.id === item.id);
		if (other) problems.push({file: manifestName, line, message: `${what} id "${other.id}" is used by both ${other.file} and ${name}`});
		found.set(item, line);
	}

	return found;
}

/** Two lessons (with the manifest line of each) that set one sysctl of the lab's shared namespace to two values. */
function sysctlClashes(lessons: ReadonlyMap<Lesson, number>): Problem[] {
	const problems: Problem[] = [];
	const setBy = new Map<keyof KeepaliveParams, Lesson>();
	for (const [lesson, line] of lessons) {
		for (const [knob, value] of Object.entries(lesson.sysctls ?? {}) as Array<[keyof KeepaliveParams, number]>) {
			const other = setBy.get(knob);
			if (other && other.sysctls?.[knob] !== value) {
				const name = sysctlNames[knob];
				problems.push({
					file: manifestName,
					line,
					message: `${lesson.file} sets ${name} to ${value}, ${other.file} to ${other.sysctls?.[knob]}: the lessons share one lab namespace`,
				});
			}

			if (!other) setBy.set(knob, lesson);
		}
	}

	return problems;
}

/** Reads a course folder; throws a LessonError with its problems. */
export function loadCourse(dir: string): Course {
	const {course, problems} = readCourse(dir);
	return orThrow(course, problems);
}
