/*
 * What the tutorial needs of a course folder without reading its lessons: where the
 * shipped one is, whether a folder is one, the lab sysctls and the host facts. Reading
 * lessons (load.ts) loads the Markdown parser; none of this does.
 */
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {type KeepaliveParams, sysctlNames} from '../lab/shared/params.js';
import {packageRoot} from '../package-paths.js';
import {type Language, originalLanguage} from './language.js';
import type {Course, Facts} from './types.js';

/** The manifest's name inside a lessons folder. */
export const manifestName = 'index.yaml';

/** The package's own `lessons/` folder. */
export function defaultLessonsDir(): string {
	return path.join(packageRoot, 'lessons') + path.sep;
}

/** Why `dir` is not a course folder, in words that name the fix; undefined when it is one. */
export function notACourse(dir: string): string | undefined {
	const fix = `give the folder that holds the course's ${manifestName} (lessons/FORMAT.md)`;
	if (!existsSync(dir)) return `${dir} does not exist: ${fix}`;
	if (!statSync(dir).isDirectory()) return `${dir} is a file, not a folder: ${fix}`;
	if (!existsSync(path.join(dir, manifestName))) return `${dir} has no ${manifestName}, so it holds no course: ${fix}`;
	return undefined;
}

/** Where the course of `dir` is in `lang`: `dir` itself for the original, else its subfolder of that name (lessons/zh/). */
export function translationDir(dir: string, lang: Language): string {
	return lang === originalLanguage ? dir : path.join(dir, lang);
}

/** A translation's folder name: a two-letter language code (ISO 639-1), such as `zh`. */
const translationName = /^[a-z]{2}$/;

/** The translations of the course in `dir`: its subfolders named by a language code that hold a course, by name. */
export function translationsOf(dir: string): Array<{lang: string; dir: string}> {
	return readdirSync(dir, {withFileTypes: true})
		.filter(entry => entry.isDirectory() && translationName.test(entry.name) && existsSync(path.join(dir, entry.name, manifestName)))
		.map(entry => ({lang: entry.name, dir: path.join(dir, entry.name)}))
		.sort((a, b) => a.lang.localeCompare(b.lang));
}

/** The lab namespace's keepalive sysctls the course's lessons ask for, or undefined when none does. */
export function labSysctls(course: Course): Partial<KeepaliveParams> | undefined {
	const sysctls = course.lessons.map(lesson => lesson.sysctls).filter(set => set !== undefined);
	return sysctls.length === 0 ? undefined : Object.assign({}, ...sysctls);
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
