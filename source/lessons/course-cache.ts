/*
 * The shipped course, parsed once at build time (compile-course.ts) into
 * dist/lessons/course.json, so that the tutorial starts without loading the Markdown
 * parser (about 250 ms here). The file names each source file with a hash of its
 * bytes; a course whose files differ from those (a lesson edited since the build, or
 * another folder) is not taken from it.
 */
import {createHash} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {manifestName} from './course.js';
import type {Course} from './types.js';

type CourseCache = {sources: Record<string, string>; course: Course};

/** Beside this module's build: dist/lessons/course.json. */
export function courseCachePath(): string {
	return fileURLToPath(new URL('course.json', import.meta.url));
}

const hashOf = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The course of `dir` as the cache holds it, when every file it was made from is unchanged; else undefined. */
export function readCachedCourse(dir: string, cache = courseCachePath()): Course | undefined {
	try {
		const {sources, course} = JSON.parse(readFileSync(cache, 'utf8')) as CourseCache;
		const same = Object.entries(sources).every(([file, hash]) => hashOf(path.join(dir, file)) === hash);
		return same ? course : undefined;
	} catch {
		// No cache (a run from source), or a file gone: the course is read from its files.
		return undefined;
	}
}

/** Writes the cache of `course`, read from `dir`: its manifest and lesson files' hashes beside it. */
export function writeCourseCache(dir: string, course: Course, cache = courseCachePath()): void {
	const files = [manifestName, ...course.lessons.map(lesson => lesson.file)];
	const sources = Object.fromEntries(files.map(file => [file, hashOf(path.join(dir, file))]));
	writeFileSync(cache, JSON.stringify({sources, course} satisfies CourseCache));
}
