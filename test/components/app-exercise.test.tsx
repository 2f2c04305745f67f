import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {cleanup} from 'ink-testing-library';
import stringWidth from 'string-width';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {defaultLessonsDir} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import type {Resume} from '../../source/progress/progress.js';
import {openProgress} from '../../source/progress/progress-store.js';
import {resumeFrom} from '../../source/progress/progress.js';
import {App} from '../../source/ui/App.js';
import type {ProgressSaver} from '../../source/ui/use-tutorial.js';
import {loadEvents} from '../helpers/events.js';
import {fakeLabFactory, type FakeLabFactory} from '../helpers/fake-lab.js';
import {catalogs} from '../../source/ui/messages/messages.js';
import {renderThemed, resize, rows, typeKeys} from '../helpers/ink.js';
import {plain, waitFor} from '../helpers/wait-for.js';

/*
 * The exercise screen on the shipped course, its runs replayed from real `verify --json`
 * recordings (test/fixtures/exercise-runs) by the lab double: the runner drives the drop
 * as on the real lab, the test sends the rest of the run once the drop is in.
 */

const course = loadCourse(defaultLessonsDir());
const detect = course.exercises[0]!;
const work = mkdtempSync(path.join(tmpdir(), 'ka-app-exercise-'));
let dirs = 0;
afterEach(() => {
	cleanup();
});
afterAll(() => {
	rmSync(work, {recursive: true, force: true});
});

const [tab, enter, backspace, down] = ['\t', '\r', '\u007F', '\u001B[B'];

function renderExercise(factory: FakeLabFactory, start: Partial<Resume> = {exercise: 0}, progress?: ProgressSaver, language: 'en' | 'zh' = 'en') {
	const tree = <App course={course} startLab={factory.startLab} labOptions={{idle: 5, intvl: 2, probes: 3}} start={start} {...(progress ? {progress} : {})} />;
	const result = renderThemed(tree, false, catalogs[language]);
	return {...result, frame: () => plain(result.lastFrame())};
}


/** Types the three values, one field after the other, and runs them. */
async function run(stdin: {write: (data: string) => void}, idle: string, intvl: string, probes: string) {
	await typeKeys(stdin, ...idle, tab, ...intvl, tab, ...probes, enter);
}

/** Lets the recorded run go on past the drop the runner asked for, to its end. */
async function finishRun(factory: FakeLabFactory) {
	await waitFor(() => expect(factory.last()?.calls.setDrop).toEqual([true]));
	await waitFor(() => expect(factory.last()!.listeners.size).toBeGreaterThan(1));
	factory.last()!.drop();
	factory.last()!.finish();
}

describe('the exercise screen', () => {
	it('shows the goal and a form that takes digits, erases them and moves between fields', async () => {
		const app = renderExercise(fakeLabFactory([]));
		await waitFor(() => expect(app.frame()).toContain('Notice a vanished client'));
		expect(app.frame()).toContain('Exercise 1/6');
		expect(app.frame()).toContain(`Goal: ${detect.goal.split(' ').slice(0, 4).join(' ')}`);
		expect(app.frame()).toContain('allowed: idle 1..30 s');
		await typeKeys(app.stdin, '1', '2', backspace, '4', tab, '3', tab);
		// 12, one erased, then 4.
		await waitFor(() => expect(app.frame()).toMatch(/idle \[14\] s +intvl \[3 +\] s +▸probes \[ +\]/));
		expect(app.frame()).toContain('allowed: probes 1..10');
		// Shift-Tab goes back; a field entered anew takes the next digit in place of its value.
		await typeKeys(app.stdin, '\u001B[Z', '9');
		await waitFor(() => expect(app.frame()).toMatch(/▸intvl \[9 +\]/));
	});

	it('refuses a value outside the exercise range, naming the range, and runs nothing', async () => {
		const factory = fakeLabFactory([]);
		const app = renderExercise(factory);
		await run(app.stdin, '40', '3', '3');
		await waitFor(() => expect(app.frame()).toContain('idle 40 is out of range; allowed: idle 1..30 s'));
		expect(factory.runs).toHaveLength(0);
		await typeKeys(app.stdin, tab, tab, tab, backspace, enter);
		await waitFor(() => expect(app.frame()).toContain('idle needs a whole number; allowed: idle 1..30 s'));
		expect(factory.runs).toHaveLength(0);
	});

	it('shows the hints one by one, in order, then says there are no more', async () => {
		const app = renderExercise(fakeLabFactory([]), {exercise: 0});
		await waitFor(() => expect(app.frame()).toContain('h hint'));
		expect(app.frame()).not.toContain('Hint 1/3');
		await typeKeys(app.stdin, 'h');
		await waitFor(() => expect(app.frame()).toContain('Hint 1/3'));
		expect(app.frame()).not.toContain('Hint 2/3');
		await typeKeys(app.stdin, 'h', 'h');
		await waitFor(() => expect(app.frame()).toContain('Hint 3/3'));
		const frame = app.frame();
		expect(frame.indexOf('Hint 1/3')).toBeLessThan(frame.indexOf('Hint 2/3'));
		expect(frame.indexOf('Hint 2/3')).toBeLessThan(frame.indexOf('Hint 3/3'));
		await typeKeys(app.stdin, 'h');
		await waitFor(() => expect(app.frame()).toContain('No more hints; s shows the solution.'));
	}, 10_000);

	it('runs the values on a lab of their own, with the live lab beside, and offers the solution after a fail', async () => {
		const factory = fakeLabFactory(loadEvents('detect-vanished-2-2-2', 'exercise-runs'));
		const app = renderExercise(factory);
		await run(app.stdin, '2', '2', '2');
		await waitFor(() => expect(factory.runs).toHaveLength(1));
		expect(factory.last()!.options).toMatchObject({idle: 2, intvl: 2, probes: 2});
		await waitFor(() => expect(app.frame()).toMatch(/idle 2 s  intvl 2 s  probes 2/));
		await waitFor(() => expect(app.frame()).toContain('Running: the kernel decides.'));
		await finishRun(factory);
		await waitFor(() => expect(app.frame()).toContain('✗ Fail: '), {timeoutMs: 4000});
		expect(app.frame()).toContain('Press s for a worked solution');
		expect(factory.last()!.stopped).toBe(true);
		await typeKeys(app.stdin, 's');
		await waitFor(() => expect(app.frame()).toContain('Solution: idle 4 s, intvl 3 s, probes 3'));
	});

	it('passes the solution values, keeps the pass in the progress file, and shows it on the next start', async () => {
		const dir = path.join(work, `config-${++dirs}`);
		const factory = fakeLabFactory(loadEvents('detect-vanished-4-3-3', 'exercise-runs'));
		const first = openProgress({dir});
		const app = renderExercise(factory, resumeFrom(first.loaded, course.lessons, undefined, course.exercises), first);
		// Without saved progress the tutorial starts on the first lesson: go to the exercise through the menu.
		await waitFor(() => expect(app.frame()).toContain('Lesson 1/13'));
		await typeKeys(app.stdin, 'm', ...Array.from({length: course.lessons.length}, () => down), enter);
		await waitFor(() => expect(app.frame()).toContain('Exercise 1/6'));
		await run(app.stdin, '4', '3', '3');
		await finishRun(factory);
		await waitFor(() => expect(app.frame()).toContain('✓ Pass: '), {timeoutMs: 4000});
		expect(app.frame()).toContain('✓ passed');
		const saved = JSON.parse(readFileSync(path.join(dir, 'progress.json'), 'utf8')) as {at: {exercise: string}; exercises: Record<string, unknown>};
		expect(saved.at.exercise).toBe(detect.id);
		expect(saved.exercises[detect.id]).toEqual({passed: true, tried: {idle: 4, intvl: 3, probes: 3}});
		app.unmount();

		const second = openProgress({dir});
		const again = renderExercise(fakeLabFactory([]), resumeFrom(second.loaded, course.lessons, undefined, course.exercises), second);
		await waitFor(() => expect(again.frame()).toContain('Exercise 1/6  ✓ passed'));
		expect(again.frame()).toMatch(/idle \[4 +\] s +intvl \[3 +\] s +probes \[3 +\]/);
		await typeKeys(again.stdin, 'm');
		await waitFor(() => expect(again.frame()).toMatch(/▸ 1 ✓ Notice a vanished client/));
	});

	it.each([
		[40, 15, 'en'],
		[60, 20, 'en'],
		[80, 24, 'en'],
		[100, 30, 'en'],
		[80, 24, 'zh'],
		[60, 20, 'zh'],
	] as const)('at %i × %i (%s) keeps the form and the verdict in view after a run, nothing wider than the terminal', async (width, height, language) => {
		const factory = fakeLabFactory(loadEvents('detect-vanished-2-2-2', 'exercise-runs'));
		const app = renderExercise(factory, {exercise: 0}, undefined, language);
		resize(app.stdout, width, height);
		const words = catalogs[language].exercise;
		await run(app.stdin, '2', '2', '2');
		await finishRun(factory);
		await waitFor(() => expect(app.frame()).toContain(`✗ ${words.verdict.fail}`), {timeoutMs: 4000});
		const frame = app.frame();
		expect(frame).toMatch(/idle \[2 +\]/);
		// The solution is offered under the verdict, or (short of rows) by the key hints alone.
		expect(frame).toContain(`s ${catalogs[language].hints.solution}`);
		if (height >= 20) expect(frame).toContain(words.offerSolution.after.slice(1, 5));
		expect(rows(frame).length).toBeLessThanOrEqual(height - 1);
		for (const line of rows(frame)) expect(stringWidth(line), line).toBeLessThanOrEqual(width);
		expect(frame).not.toContain('\uFFFD');
	});
});
