import {existsSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {cleanup} from 'ink-testing-library';
import {afterEach, expect, it} from 'vitest';
import type {KernelEvent, PacketEvent} from '../../source/lab/shared/events.js';
import {defaultLessonsDir} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import {App} from '../../source/ui/App.js';
import logUpdate, {type LogUpdate} from '../../source/ui/ink/log-update.js';
import {catalogs} from '../../source/ui/messages/messages.js';
import {root, waitUntil} from '../helpers/cli.js';
import {loadEvents} from '../helpers/events.js';
import {fakeLabFactory} from '../helpers/fake-lab.js';
import {renderThemed, resize, typeKeys, withChalkColours} from '../helpers/ink.js';
import {where} from '../helpers/privilege.js';
import {scratch, tmux} from '../helpers/tmux-tutorial.js';

/*
 * The bundle's log-update writes only the rows that changed (source/ui/ink/log-update.ts).
 * Here the same frames go through it and through Ink's own writer, which erases and writes
 * the whole frame, and each byte stream is played, frame by frame, into a real terminal
 * (tmux) of the same size: after every frame both terminals must show the same characters in
 * the same colours and styles, with the cursor in the same place. The terminal runs on the e2e
 * tests' own tmux socket and scratch folder (helpers/tmux-tutorial.ts removes both after this file).
 */

// Ink's package exports only its index: its writer is loaded from its file.
type Create = (stream: NodeJS.WriteStream, options?: {showCursor?: boolean}) => LogUpdate;
const inkWriter = (
	(await import(pathToFileURL(path.join(root, 'node_modules', 'ink', 'build', 'log-update.js')).href)) as {default: {create: Create}}
).default.create;

type Position = {x: number; y: number};
/**
 * What Ink asks of its writer: a frame (ending in a newline unless it fills the terminal),
 * with the cursor shown at a place or hidden; clear; or, after Ink wrote a frame itself, sync.
 */
type Op = {frame: string; cursor?: Position} | {clear: true} | {sync: string};

/** A terminal as a writer sees one: what is written to it is kept op by op. */
function record(create: Create, ops: readonly Op[], columns: number, rows: number): string[] {
	const written: string[] = [];
	const stream = {isTTY: true, columns, rows, write: (chunk: string) => ((written[written.length - 1] += chunk), true)};
	const log = create(stream as unknown as NodeJS.WriteStream);
	for (const op of ops) {
		written.push('');
		if ('clear' in op) log.clear();
		else if ('sync' in op) {
			// As Ink's full-screen path: the screen cleared and the frame written, then sync.
			stream.write('\u001B[2J\u001B[3J\u001B[H' + op.sync);
			log.sync(op.sync);
		} else {
			log.setCursorPosition(op.cursor);
			log(op.frame);
		}
	}

	return written;
}

let panes = 0;

/** What a terminal of `columns` × `rows` shows after each write: its text in colour and style, and its cursor. */
async function screens(writes: readonly string[], columns: number, rows: number): Promise<string[]> {
	const name = `p${++panes}`;
	const files = writes.map((bytes, index) => {
		const file = path.join(scratch, `${name}-${index}`);
		writeFileSync(file, bytes);
		return file;
	});
	// One write per line typed; the terminal's echo off, so that only the writes draw.
	const script = `stty -echo; for f in ${files.join(' ')}; do cat "$f"; touch "$f.shown"; read x; done; sleep 600`;
	tmux('new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), 'sh', '-c', script);
	const shown: string[] = [];
	for (const file of files) {
		await waitUntil(() => existsSync(`${file}.shown`), 5000, `${path.basename(file)} on the terminal`);
		// `cat` has ended: what it wrote is in the terminal once tmux has read it.
		await new Promise(resolve => setTimeout(resolve, 40));
		const cursor = tmux('display-message', '-p', '-t', name, '#{cursor_x},#{cursor_y},#{cursor_flag}').trim();
		shown.push(`${tmux('capture-pane', '-p', '-e', '-t', name)}\ncursor ${cursor}`);
		tmux('send-keys', '-t', name, 'Enter');
	}

	tmux('kill-session', '-t', name);
	return shown;
}

/** Both writers through `ops`: after each op, the same screen. Returns the bytes each wrote. */
async function expectSameScreens(ops: readonly Op[], columns: number, rows: number): Promise<{ours: string[]; ink: string[]}> {
	const ours = record(logUpdate.create, ops, columns, rows);
	const ink = record(inkWriter, ops, columns, rows);
	const [a, b] = [await screens(ours, columns, rows), await screens(ink, columns, rows)];
	for (const [index, screen] of a.entries()) expect(screen, `after op ${index} (${JSON.stringify(ops[index]).slice(0, 80)})`).toBe(b[index]);
	return {ours, ink};
}

const bytes = (writes: readonly string[]) => writes.reduce((sum, chunk) => sum + chunk.length, 0);

/** Recorded from the real lab (test/fixtures/events/README.md); its values. */
const run = loadEvents('fast-drop');
const params = {idle: 2, intvl: 1, probes: 3};
const reading = (dueIn: number, probesOut = 0): KernelEvent => ({t: 3, type: 'kernel', side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn, probesOut, sinceRecv: 0.1});
const probe = (t: number): PacketEvent => ({t, type: 'packet', from: 'server', flags: ['ACK'], seq: 0, ack: 1, relSeq: 0, relAck: 1, len: 0, kind: 'keepalive'});

/** A countdown through the tenths (10.0 → 9.9: a row gets shorter), probes, packets that scroll the list, the next step, the help and back. */
const steps: Array<{keys: string} | {event: KernelEvent | PacketEvent}> = [
	{event: reading(10.2)},
	{event: reading(10.1)},
	{event: reading(10)},
	{event: reading(9.9)},
	{event: reading(9.8)},
	{event: probe(3.1)},
	{event: reading(1, 1)},
	{event: probe(4.1)},
	{event: probe(5.1)},
	{keys: '\u001B[C'},
	{event: reading(0.5, 2)},
	{keys: '?'},
	{keys: '\u001B'},
	{keys: '\u001B[D'},
];

/** The tutorial's frames in lesson 5 through `steps`, in colour, as Ink hands them to its writer. */
async function tutorialFrames(language: keyof typeof catalogs, columns: number, rows: number): Promise<string[]> {
	const course = loadCourse(language === 'zh' ? path.join(defaultLessonsDir(), 'zh') : defaultLessonsDir());
	const factory = fakeLabFactory(run.filter(event => event.type !== 'kernel'));
	const app = renderThemed(<App course={course} startLab={factory.startLab} labOptions={params} start={{lesson: 4}} />, true, catalogs[language]);
	resize(app.stdout, columns, rows);
	const settle = () => new Promise(resolve => setTimeout(resolve, 60));
	await waitUntil(() => factory.last() !== undefined, 5000, 'the lab to start');
	await settle();
	const frames = [app.lastFrame()!];
	for (const step of steps) {
		if ('keys' in step) await typeKeys(app.stdin, step.keys);
		else factory.last()!.emit(step.event);
		await settle();
		frames.push(app.lastFrame()!);
	}

	return frames.map(frame => frame + '\n');
}

afterEach(cleanup);

where('tmux').describe('log-update: only the rows that changed', () => {
	withChalkColours();

	for (const language of ['en', 'zh'] as const) {
		for (const [columns, rows] of [
			[100, 30],
			[80, 24],
			[60, 22],
		] as const) {
			it(`draws the tutorial's frames as Ink's whole-frame writer does (${language}, ${columns}×${rows})`, async () => {
				const frames = await tutorialFrames(language, columns, rows);
				// The steps changed what is shown: the countdown's tenths, the help, the lesson's next step.
				expect(new Set(frames).size).toBeGreaterThan(steps.length / 2);
				const {ours, ink} = await expectSameScreens(
					frames.map(frame => ({frame})),
					columns,
					rows,
				);
				// The countdown's frames (10.1 s to 9.8 s): its two rows, not the whole screen.
				expect(bytes(ours.slice(2, 6))).toBeLessThan(bytes(ink.slice(2, 6)) / 5);
			});
		}
	}

	it('draws frames that grow, shrink, empty and fill rows to the edge, in colour and in wide characters', async () => {
		const [columns, rows] = [20, 8];
		const full = (text: string) => text.repeat(columns / [...text][0]!.length).slice(0, columns);
		await expectSameScreens(
			[
				{frame: 'one\n'},
				{frame: 'one\ntwo\nthree\n'},
				{frame: 'one\n\u001B[1mTWO\u001B[22m\nthree\nfour\n'},
				{frame: `${'x'.repeat(columns)}\ntwo\n`},
				{frame: `${'y'.repeat(columns)}\ntwo\n`},
				{frame: `${'中'.repeat(columns / 2)}\n${'文'.repeat(columns / 2 - 1)}x\n`},
				{frame: `${'中'.repeat(columns / 2)}\nshort\n`},
				{frame: '\n'},
				{frame: `\u001B[31m${full('-')}\u001B[39m\n\u001B[7minverse\u001B[27m\n`},
				{frame: 'a\nb\nc\nd\ne\nf\ng\n'},
				{frame: 'a\nb\n'},
			],
			columns,
			rows,
		);
	});

	it('clears, fills the whole terminal, and syncs after a frame written by Ink', async () => {
		const [columns, rows] = [20, 6];
		const filled = ['1', '2', '3', '4', '5', '6'].join('\n');
		await expectSameScreens(
			[{frame: 'first\nsecond\n'}, {clear: true}, {frame: 'after clear\n'}, {frame: filled}, {frame: 'back\nto\nfew\n'}, {sync: 'synced\nframe\n'}, {frame: 'synced\nFRAME\n'}, {clear: true}, {clear: true}],
			columns,
			rows,
		);
	});

	it('shows the cursor where a component asks for it, and hides it when it no longer does', async () => {
		const [columns, rows] = [20, 6];
		await expectSameScreens(
			[
				{frame: 'name: \nage: \n', cursor: {x: 6, y: 0}},
				{frame: 'name: a\nage: \n', cursor: {x: 7, y: 0}},
				// The same frame, the cursor moved: only the cursor is written.
				{frame: 'name: a\nage: \n', cursor: {x: 5, y: 1}},
				{frame: 'name: a\nage: 3\nok\n', cursor: {x: 6, y: 1}},
				{frame: 'name: a\nage: 3\nok\n'},
				{frame: 'done\n', cursor: {x: 0, y: 0}},
				{clear: true},
				{frame: 'again\n'},
			],
			columns,
			rows,
		);
	});
});
