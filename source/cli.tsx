#!/usr/bin/env node
import {readFileSync} from 'node:fs';
import {parseCommand, usage, UsageError} from './cli-args.js';
import type {Course} from './lessons/types.js';

function version(): string {
	const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};
	return manifest.version;
}

// The course is loaded (and checked: a bad course fails loudly) only where it is needed,
// so that `lab`, --help and --version start without YAML and Markdown parsing.
let loaded: Course | undefined;
async function course(): Promise<Course> {
	const {loadCourse, defaultLessonsDir} = await import('./lessons/load.js');
	loaded ??= loadCourse(defaultLessonsDir());
	return loaded;
}

async function main(): Promise<number> {
	const argv = process.argv.slice(2);
	let command;
	try {
		// --lesson's range is the course's length: the course is loaded only to check it.
		command = await parseCommand(argv, async () => (await course()).lessons.length);
	} catch (error) {
		if (error instanceof UsageError) {
			process.stderr.write(`ka-tutorial: ${error.message}\n`);
			return 2;
		}

		throw error;
	}

	switch (command.mode) {
		case 'help': {
			process.stdout.write(usage);
			return 0;
		}

		case 'version': {
			process.stdout.write(`${version()}\n`);
			return 0;
		}

		case 'lab': {
			// Loaded on demand: the headless lab needs neither React nor Ink.
			const {runHeadless} = await import('./headless/run-lab.js');
			return runHeadless({
				...command.params,
				sandbox: command.sandbox,
				firewall: command.firewall,
				dropAfter: command.dropAfter,
				json: command.json,
				...(command.pcap === undefined ? {} : {pcap: command.pcap}),
			});
		}

		case 'tutorial': {
			const {runTutorial} = await import('./tutorial.js');
			return runTutorial({...command, course: await course()});
		}
	}
}

main().then(
	code => {
		process.exitCode = code;
	},
	(error: unknown) => {
		process.stderr.write(`ka-tutorial: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exitCode = 1;
	},
);
