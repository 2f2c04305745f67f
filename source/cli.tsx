#!/usr/bin/env node
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {parseCommand, UsageError} from './cli-args.js';
import type {CourseLanguage} from './lessons/language.js';
import type {Course} from './lessons/types.js';
import {packageRoot} from './package-paths.js';
import {messagesFor} from './ui/messages/messages.js';
import {restartInUserNamespace} from './user-namespace.js';

function version(): string {
	const manifest = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {version: string};
	return manifest.version;
}

/**
 * The course folder: `dir` (--lessons, check-lessons DIR) or the shipped one, or its
 * translation into `lang`. One that holds no course is a usage error, and so is a missing
 * translation --lang asks for; one the locale asks for gives way to the original.
 */
async function courseDir(dir?: string, lang?: CourseLanguage): Promise<string> {
	const {defaultLessonsDir, manifestName, notACourse, translationDir} = await import('./lessons/course.js');
	const chosen = dir ?? defaultLessonsDir();
	const why = notACourse(chosen);
	if (why !== undefined) throw new UsageError(`${why}.`);
	if (lang === undefined) return chosen;
	const translated = translationDir(chosen, lang.code);
	if (notACourse(translated) === undefined) return translated;
	if (lang.from === 'locale') return chosen;
	throw new UsageError(messagesFor(lang.code).cli.noTranslation(lang.code, chosen, manifestName));
}

// The course is loaded (and checked: a bad course fails loudly) only where it is needed,
// so that `lab`, --help and --version start without YAML and Markdown parsing; the
// shipped course comes parsed from the build.
let loaded: Course | undefined;
async function course(dir?: string, lang?: CourseLanguage): Promise<Course> {
	const from = await courseDir(dir, lang);
	const {readCachedCourse} = await import('./lessons/course-cache.js');
	loaded ??= readCachedCourse(from);
	if (loaded) return loaded;
	const {loadCourse} = await import('./lessons/load.js');
	const {courseProblemsLine, LessonError} = await import('./lessons/problem.js');
	try {
		loaded = loadCourse(from);
	} catch (error) {
		if (error instanceof LessonError) throw new UsageError(courseProblemsLine(error.problems, from));
		throw error;
	}

	return loaded;
}

async function main(): Promise<number> {
	const argv = process.argv.slice(2);
	// --lesson's range is the course's length: the course is loaded only to check it.
	const command = await parseCommand(argv, async (lessons, lang) => (await course(lessons, lang)).lessons.length);

	switch (command.mode) {
		case 'help': {
			process.stdout.write(messagesFor(command.lang).cli.usage);
			return 0;
		}

		case 'version': {
			process.stdout.write(`${version()}\n`);
			return 0;
		}

		case 'lab': {
			if (command.sandbox !== 'netns') await restartInUserNamespace();
			// Loaded on demand: the headless lab needs neither React nor Ink.
			const {runHeadless} = await import('./headless/run-lab.js');
			return runHeadless({
				...command.params,
				sandbox: command.sandbox,
				firewall: command.firewall,
				dropAfter: command.dropAfter,
				json: command.json,
				scenario: command.scenario,
				...(command.pcap === undefined ? {} : {pcap: command.pcap}),
				...(command.userTimeout === undefined ? {} : {userTimeout: command.userTimeout}),
				...(command.natTimeout === undefined ? {} : {natTimeout: command.natTimeout}),
			});
		}

		case 'list-scenarios': {
			const {scenarioList} = await import('./lab/scenarios/scenarios.js');
			process.stdout.write(scenarioList() + '\n');
			return 0;
		}

		case 'doctor': {
			const {runDoctor} = await import('./doctor/run-doctor.js');
			return runDoctor(await course());
		}

		case 'check-lessons': {
			const {runCheckLessons} = await import('./lessons/check-course.js');
			return runCheckLessons(await courseDir(command.dir), text => process.stdout.write(text));
		}

		case 'verify': {
			if (command.sandbox !== 'netns') await restartInUserNamespace();
			const {pickExercise} = await import('./exercises/verify-command.js');
			const messages = messagesFor(command.lang.code);
			const exercise = pickExercise(await course(command.lessons, command.lang), command.exercise, command.params, messages);
			const {runVerify} = await import('./exercises/run-verify.js');
			return runVerify({...command.params, exercise, json: command.json, sandbox: command.sandbox, firewall: command.firewall, messages});
		}

		case 'verify-list': {
			const {exerciseList} = await import('./exercises/verify-command.js');
			process.stdout.write(exerciseList(await course(command.lessons, command.lang), messagesFor(command.lang.code)));
			return 0;
		}

		case 'tutorial': {
			if (command.sandbox !== 'netns') await restartInUserNamespace();
			const {runTutorial} = await import('./tutorial.js');
			return runTutorial({...command, course: await course(command.lessons, command.lang)});
		}
	}
}

main().then(
	code => {
		process.exitCode = code;
	},
	(error: unknown) => {
		// A usage error (a bad flag, a folder without a valid course) says what to do instead; anything else is a crash.
		const usage = error instanceof UsageError;
		process.stderr.write(`ka-tutorial: ${usage ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exitCode = usage ? 2 : 1;
	},
);
