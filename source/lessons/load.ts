import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parse as parseYaml} from 'yaml';
import {sysctlNames} from '../lab/shared/params.js';
import {LessonError, parseLesson} from './parse.js';
import type {Course, Facts, Lesson} from './types.js';

/** The manifest's name inside a lessons folder. */
export const manifestName = 'index.yaml';

/**
 * The package's own `lessons/` folder. Both this source file (source/lessons/load.ts)
 * and its build (dist/lessons/load.js) sit two levels below the package root.
 */
export function defaultLessonsDir(): string {
	return fileURLToPath(new URL('../../lessons/', import.meta.url));
}

/**
 * Reads `index.yaml` (a `title` and the ordered list of `lessons` files) and every
 * lesson it names. Fails fast with a LessonError: missing or listed-twice files,
 * duplicate lesson ids, and anything parseLesson rejects.
 */
export function loadCourse(dir: string): Course {
	const manifestPath = path.join(dir, manifestName);
	const where = path.join(path.basename(path.resolve(dir)), manifestName);
	if (!existsSync(manifestPath)) throw new LessonError(`${where}: no course manifest in ${dir}`, where);
	let manifest: unknown;
	try {
		manifest = parseYaml(readFileSync(manifestPath, 'utf8'));
	} catch (error) {
		throw new LessonError(`${where}: not valid YAML: ${(error as Error).message.split('\n')[0]}`, where);
	}

	const fail = (message: string): never => {
		throw new LessonError(`${where}: ${message}`, where);
	};

	if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
		fail('expected `title:` and `lessons:` (a list of lesson files)');
	}

	const {title, lessons: files, ...rest} = manifest as Record<string, unknown>;
	const unknown = Object.keys(rest);
	if (unknown.length > 0) fail(`unknown field \`${unknown[0]}\` (expected title, lessons)`);
	if (typeof title !== 'string' || title.trim() === '') fail('`title` must be a non-empty text');
	if (!Array.isArray(files) || files.length === 0) fail('`lessons` must be a non-empty list of lesson files');

	const seenFiles = new Set<string>();
	const seenIds = new Map<string, string>();
	const lessons: Lesson[] = [];
	for (const file of files as unknown[]) {
		if (typeof file !== 'string' || file.trim() === '') fail(`every entry of \`lessons\` must be a file name; got ${JSON.stringify(file)}`);
		const name = (file as string).trim();
		if (path.isAbsolute(name) || name.split(/[/\\]/).includes('..')) {
			fail(`lesson file "${name}" must be inside the lessons folder`);
		}

		if (seenFiles.has(name)) fail(`lesson file "${name}" is listed twice`);
		seenFiles.add(name);
		const filePath = path.join(dir, name);
		if (!existsSync(filePath)) fail(`lesson file "${name}" does not exist in ${dir}`);
		const lesson = parseLesson(name, readFileSync(filePath, 'utf8'));
		const other = seenIds.get(lesson.id);
		if (other !== undefined) fail(`lesson id "${lesson.id}" is used by both ${other} and ${name}`);
		seenIds.set(lesson.id, name);
		lessons.push(lesson);
	}

	return {title: (title as string).trim(), lessons};
}


/**
 * The host's keepalive sysctls as facts (`host.tcp_keepalive_time` …), read from
 * /proc/sys/net/ipv4 of the namespace this process runs in. Unreadable ones are left out.
 */
export function readHostFacts(dir = '/proc/sys/net/ipv4'): Facts {
	const facts: Facts = {};
	for (const name of Object.values(sysctlNames)) {
		try {
			const value = readFileSync(path.join(dir, name), 'utf8').trim();
			if (value !== '') facts[`host.${name}`] = value;
		} catch {
			// Not Linux, or /proc is not mounted: the lesson shows its placeholder marker.
		}
	}

	// The lab's server and client run on this same Node binary (process.execPath).
	facts['host.node'] = process.version;
	return facts;
}
