/**
 * The saved progress on a real file system, in a fresh temporary directory each test (never
 * this machine's ~/.config). In this process the tests may run as root, whom permission
 * bits do not stop: the failures made here come from paths (a directory where the file
 * should be, a file where the directory should be). The read-only directory and the
 * unreadable file are tried as `nobody`, through a driver on the built code (dist/).
 */
import {chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {LabEvent} from '../../source/lab/shared/events.js';
import {loadCourse} from '../../source/lessons/load.js';
import {type EngineAction, type EngineState, initialState, reduce} from '../../source/lessons/step-engine.js';
import {loadProgress, progressFile, saveProgress} from '../../source/progress/progress-file.js';
import {openProgress} from '../../source/progress/progress-store.js';
import {emptyProgress, type Progress, resumeFrom} from '../../source/progress/progress.js';
import {where} from '../helpers/privilege.js';
import {killDrivers, runDriver} from './drivers/run-driver.js';

// intro: 0 read, 1 question (a–c, answer b); lab: 0 read, 1 wait 2 probes, …
const {lessons} = loadCourse(fileURLToPath(new URL('../fixtures/course/', import.meta.url)));
const run = (state: EngineState, ...actions: EngineAction[]) => actions.reduce(reduce, state);
const next: EngineAction = {type: 'next'};
const probe: EngineAction = {
	type: 'lab-event',
	event: {t: 2, type: 'packet', from: 'server', flags: ['ACK'], seq: 0, ack: 1, relSeq: 0, relAck: 1, len: 0, kind: 'keepalive'} satisfies LabEvent,
};
const saved: Progress = {version: 1, at: {lesson: 'lab', step: 2}, lessons: {intro: {done: [0, 1], answers: {1: 2}}}};

let scratch: string;
let dir: string;
let file: string;
beforeEach(() => {
	scratch = mkdtempSync(join(tmpdir(), 'ka-progress-'));
	dir = join(scratch, 'home', '.config', 'ka-tutorial');
	file = progressFile(dir);
});
afterEach(() => {
	rmSync(scratch, {recursive: true, force: true});
});

describe('the progress file', () => {
	it('is saved atomically and loaded back; the missing directories are made, 0700', () => {
		expect(saveProgress(file, saved)).toBeUndefined();
		expect(loadProgress(file)).toEqual({progress: saved});
		// The temporary file was renamed into place: nothing else is left beside it.
		expect(readdirSync(dir)).toEqual(['progress.json']);
		expect(statSync(join(scratch, 'home', '.config')).mode & 0o777).toBe(0o700);
		expect(readFileSync(file, 'utf8')).toMatch(/^{\n\t"version": 1,\n[\s\S]*}\n$/);
	});

	it('none saved yet is empty progress and no problem', () => {
		expect(loadProgress(file)).toEqual({progress: emptyProgress});
	});
});

describe('the progress store', () => {
	it('resumes the next run where this one left off', () => {
		const first = openProgress({dir});
		expect(first.problem).toBeUndefined();
		const start = initialState(lessons, resumeFrom(first.loaded, lessons));
		expect(first.save(start)).toBeUndefined();
		// The intro read and answered (c), on to the lab lesson's wait.
		expect(first.save(run(start, next, {type: 'answer', choice: 2}, next, next))).toBeUndefined();

		const second = openProgress({dir});
		expect(second.problem).toBeUndefined();
		const resumed = initialState(lessons, resumeFrom(second.loaded, lessons));
		expect([resumed.lesson, resumed.step]).toEqual([1, 1]);
		expect(resumed.done).toEqual({'intro/0': true, 'intro/1': true, 'lab/0': true});
		expect(resumed.answers).toEqual({'intro/1': {choice: 2, correct: false}});
	});

	it('writes only when the progress has changed, not on every lab event', () => {
		const store = openProgress({dir});
		const start = initialState(lessons);
		store.save(start);
		const {ino} = statSync(file);
		// The lab event changes the engine's state (its run), not the progress.
		store.save(run(start, probe));
		expect(statSync(file).ino).toBe(ino);
		store.save(run(start, next));
		expect(statSync(file).ino).not.toBe(ino);
	});

	it('--reset starts over: the file is removed before loading; reset() (the menu entry) does the same', () => {
		saveProgress(file, saved);
		const store = openProgress({dir, reset: true});
		expect({loaded: store.loaded, problem: store.problem, exists: existsSync(file)}).toEqual({loaded: emptyProgress, problem: undefined, exists: false});
		store.save(initialState(lessons, resumeFrom(store.loaded, lessons)));
		expect(loadProgress(file).progress).toEqual({version: 1, at: {lesson: 'intro', step: 0}, lessons: {}});

		saveProgress(file, saved);
		expect(store.reset()).toBeUndefined();
		expect(existsSync(file)).toBe(false);
		// Saved afresh after the reset, even though the engine's progress is what was saved before it.
		store.save(initialState(lessons));
		expect(existsSync(file)).toBe(true);
	});

	it.each([
		['{"version": 1, "lessons": ', 'is not valid JSON'],
		['', 'is not valid JSON'],
		['{"version": 1, "lessons": {"intro": {"done": [-1], "answers": {}}}}', 'is damaged: lessons.intro.done[0] is not a step index (a whole number from 0)'],
		['{"version": 2, "lessons": {}}', 'is damaged: it is format version 2; this ka-tutorial reads version 1'],
		// A line break in a lesson id does not break the message's one line.
		['{"version": 1, "lessons": {"a\\nb": 1}}', 'is damaged: lessons.a b is not an object'],
	])('a corrupt file (%j) is reported in one line, and replaced on the next save', (text, why) => {
		mkdirSync(dir, {recursive: true});
		writeFileSync(file, text);
		const store = openProgress({dir});
		expect(store.problem).toBe(`Saved progress ignored: ${file} ${why}; it is replaced as you go on.`);
		expect(store.loaded).toEqual(emptyProgress);
		expect(store.save(initialState(lessons))).toBeUndefined();
		expect(openProgress({dir})).toMatchObject({problem: undefined, loaded: {at: {lesson: 'intro', step: 0}}});
	});

	it('a progress.json that cannot be read (a directory: EISDIR stops root too) is reported on loading and on saving; nothing throws', () => {
		mkdirSync(file, {recursive: true});
		const store = openProgress({dir});
		expect(store.problem).toBe(`Saved progress ignored: ${file} could not be read (EISDIR: illegal operation on a directory); it is replaced as you go on.`);
		expect(store.save(initialState(lessons))).toBe(`Progress not saved: could not write ${file} (EISDIR: illegal operation on a directory).`);
		expect(readdirSync(dir)).toEqual(['progress.json']);
	});

	it('a config directory that cannot be made (a file is in its place) is reported once, and again only after a save has worked', () => {
		mkdirSync(join(dir, '..'), {recursive: true});
		writeFileSync(dir, '');
		const store = openProgress({dir});
		expect(store.problem).toBe(`Saved progress ignored: ${file} could not be read (ENOTDIR: not a directory); it is replaced as you go on.`);
		const start = initialState(lessons);
		const failed = `Progress not saved: could not write ${file} (EEXIST: file already exists).`;
		expect(store.save(start)).toBe(failed);
		expect(store.save(run(start, next))).toBeUndefined();
		rmSync(dir);
		expect(store.save(run(start, next, {type: 'answer', choice: 1}))).toBeUndefined();
		expect(loadProgress(file).progress.at).toEqual({lesson: 'intro', step: 1});
		rmSync(dir, {recursive: true});
		writeFileSync(dir, '');
		expect(store.save(run(start, next, {type: 'answer', choice: 1}, next))).toBe(failed);
	});
});

const asNobody = where('nobody');
asNobody.describe('as an ordinary user (nobody), where permission bits count', () => {
	const nobody = 65_534;
	beforeEach(() => {
		expect(existsSync(fileURLToPath(new URL('../../dist/progress/progress-store.js', import.meta.url))), 'run `npm run build` first').toBe(true);
		// mkdtemp made it 0700; nobody has to reach the directory inside it.
		chmodSync(scratch, 0o755);
		mkdirSync(dir, {recursive: true});
		chmodSync(join(scratch, 'home'), 0o755);
		chmodSync(join(scratch, 'home', '.config'), 0o755);
		chownSync(dir, nobody, nobody);
	});
	afterAll(killDrivers);

	it("a read-only config directory (nobody's own, 0555): the save fails with EACCES, said once; nothing throws", async () => {
		chmodSync(dir, 0o555);
		const {result} = await runDriver('progress-driver.mjs', {dir}, 'host-nobody');
		expect(result).toEqual({problem: null, saves: [`Progress not saved: could not write ${file} (EACCES: permission denied).`, null], file: null});
	});

	it("a progress file it may not read (root's, 0600, in nobody's directory) is reported in one line and replaced by nobody's", async () => {
		writeFileSync(file, JSON.stringify(saved), {mode: 0o600});
		const {result} = await runDriver('progress-driver.mjs', {dir}, 'host-nobody');
		expect(result).toEqual({
			problem: `Saved progress ignored: ${file} could not be read (EACCES: permission denied); it is replaced as you go on.`,
			saves: [null, null],
			file: {version: 1, at: {lesson: 'intro', step: 1}, lessons: {intro: {done: [0], answers: {}}}},
		});
		expect(statSync(file).uid).toBe(nobody);
	});
});
