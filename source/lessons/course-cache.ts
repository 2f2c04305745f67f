/*
 * The shipped course and its translations, parsed once at build time (compile-course.ts)
 * into dist/lessons/course.json and a file per course beside it, so that the tutorial
 * starts without loading the Markdown parser (about 250 ms here), and parses only the one
 * course it shows. The index names each course's source files with a hash of their
 * bytes; a course whose files differ from those (a lesson edited since the build, or
 * another folder) is not taken from it.
 */
import {createHash} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {builtFile} from '../package-paths.js';
import {manifestName} from './course.js';
import type {Course} from './types.js';

/** One entry per course folder (the original, then each translation), with the name of its course's file; a folder's files match one entry at most. */
type CourseIndex = Array<{sources: Record<string, string>; file: string}>;

/** The file of the index's entry `index`, beside it: course.json → course.1.json. */
const courseFile = (cache: string, index: number): string => cache.replace(/\.json$/, '') + `.${index}.json`;

/** In tsc's build: dist/lessons/course.json. */
export function courseCachePath(): string {
	return builtFile('lessons', 'course.json');
}

const hashOf = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Whether every file `sources` names is in `dir` with that hash; a file gone is a difference. */
function unchanged(dir: string, sources: Record<string, string>): boolean {
	try {
		return Object.entries(sources).every(([file, hash]) => hashOf(path.join(dir, file)) === hash);
	} catch {
		return false;
	}
}

/** The course of `dir` as the cache holds it, when every file it was made from is unchanged; else undefined. */
export function readCachedCourse(dir: string, cache = courseCachePath()): Course | undefined {
	try {
		const entries = JSON.parse(readFileSync(cache, 'utf8')) as CourseIndex;
		const entry = entries.find(({sources}) => unchanged(dir, sources));
		return entry && (JSON.parse(readFileSync(path.join(path.dirname(cache), entry.file), 'utf8')) as Course);
	} catch {
		// No cache (a run from source), or one of another shape: the course is read from its files.
		return undefined;
	}
}

/** Writes the cache of these courses, each read from its `dir`: its manifest, lesson and exercise files' hashes beside it. */
export function writeCourseCache(courses: ReadonlyArray<{dir: string; course: Course}>, cache = courseCachePath()): void {
	const entries: CourseIndex = courses.map(({dir, course}, index) => {
		const files = [manifestName, ...[...course.lessons, ...course.exercises].map(({file}) => file)];
		const file = courseFile(cache, index);
		writeFileSync(file, JSON.stringify(course));
		return {sources: Object.fromEntries(files.map(file => [file, hashOf(path.join(dir, file))])), file: path.basename(file)};
	});
	writeFileSync(cache, JSON.stringify(entries));
}
