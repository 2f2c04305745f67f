import {closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {en, type Messages} from '../ui/messages/messages.js';
import {checkProgress} from './check-progress.js';
import {emptyProgress, type Progress} from './progress.js';

/*
 * The progress file's side effects. None throws: what goes wrong comes back as one line
 * for the screen, in `words` (English unless told), and the tutorial goes on without (or
 * with empty) progress.
 */

type Words = Messages['progress'];

export function progressFile(configDir: string): string {
	return join(configDir, 'progress.json');
}

/** Node's words for a failed call without the path it repeats: "EACCES: permission denied". */
function describe(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.split(',')[0]!;
}

/** A file's content or a lesson id from a damaged file may hold line breaks; the screen has one line for this. */
const oneLine = (text: string) => text.replace(/[\s\p{Cc}]+/gu, ' ');

/** The saved progress; none saved yet is no problem. An unreadable, non-JSON or damaged file gives empty progress and why. */
export function loadProgress(file: string, words: Words = en.progress): {progress: Progress; problem?: string} {
	const ignored = (why: string) => ({progress: emptyProgress, problem: oneLine(words.ignored(file, why))});
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {progress: emptyProgress};
		return ignored(words.unreadable(describe(error)));
	}

	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return ignored(words.notJson);
	}

	const checked = checkProgress(value);
	return 'reason' in checked ? ignored(words.damaged(checked.reason)) : checked;
}

let tempFiles = 0;

/**
 * Writes the progress atomically: a new file beside the old one, flushed to disk, then
 * renamed over it, so that a crash or a full disk leaves the old file or the new one, never
 * half of one. The directories are made as the XDG spec asks (0700). Gives why it failed.
 */
export function saveProgress(file: string, progress: Progress, words: Words = en.progress): string | undefined {
	const temp = `${file}.${process.pid}.${++tempFiles}.tmp`;
	try {
		mkdirSync(dirname(file), {recursive: true, mode: 0o700});
		const fd = openSync(temp, 'wx');
		try {
			writeFileSync(fd, `${JSON.stringify(progress, null, '\t')}\n`);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}

		renameSync(temp, file);
		return undefined;
	} catch (error) {
		try {
			rmSync(temp, {force: true});
		} catch {}

		return oneLine(words.notSaved(file, describe(error)));
	}
}

/** Removes the saved progress (none is no problem); gives why it could not. */
export function resetProgress(file: string, words: Words = en.progress): string | undefined {
	try {
		rmSync(file, {force: true});
		return undefined;
	} catch (error) {
		return oneLine(words.notReset(file, describe(error)));
	}
}
