import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {cleanup} from 'ink-testing-library';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {defaultLessonsDir} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import {openProgress} from '../../source/progress/progress-store.js';
import {resumeFrom} from '../../source/progress/progress.js';
import {App} from '../../source/ui/App.js';
import {loadEvents} from '../helpers/events.js';
import {fakeLabFactory} from '../helpers/fake-lab.js';
import {renderThemed, typeKeys} from '../helpers/ink.js';
import {plain, waitFor} from '../helpers/wait-for.js';

const course = loadCourse(defaultLessonsDir());
const work = mkdtempSync(path.join(tmpdir(), 'ka-app-progress-'));
let dirs = 0;
afterEach(() => {
	cleanup();
});
afterAll(() => {
	rmSync(work, {recursive: true, force: true});
});

/** The tutorial as runTutorial starts it: the progress store of a config folder, and where it says to resume. */
function renderWithProgress(dir: string) {
	const progress = openProgress({dir});
	const result = renderThemed(
		<App
			course={course}
			startLab={fakeLabFactory(loadEvents('fast-drop')).startLab}
			labOptions={{idle: 2, intvl: 1, probes: 3}}
			start={resumeFrom(progress.loaded, course.lessons)}
			progress={progress}
		/>,
	);
	return {...result, frame: () => plain(result.lastFrame())};
}

const right = '\u001B[C';

describe('App with saved progress', () => {
	it('saves each move, and the next run starts where this one was', async () => {
		const dir = path.join(work, `config-${++dirs}`);
		const first = renderWithProgress(dir);
		await waitFor(() => expect(first.frame()).toContain('Lesson 1/13 · step 1/'));
		await typeKeys(first.stdin, right, right);
		await waitFor(() => expect(first.frame()).toContain('Lesson 1/13 · step 3/'));
		const saved = JSON.parse(readFileSync(path.join(dir, 'progress.json'), 'utf8')) as {at: {lesson: string; step: number}};
		expect(saved.at).toEqual({lesson: course.lessons[0]!.id, step: 2});
		first.unmount();

		const second = renderWithProgress(dir);
		await waitFor(() => expect(second.frame()).toContain('Lesson 1/13 · step 3/'));
	});

	it('says in one line that a corrupt file was set aside, and replaces it', async () => {
		const dir = path.join(work, `config-${++dirs}`);
		mkdirSync(dir, {recursive: true});
		writeFileSync(path.join(dir, 'progress.json'), '{"version": 1, "lessons": ');
		const app = renderWithProgress(dir);
		await waitFor(() => expect(app.frame()).toContain('Saved progress ignored'));
		expect(app.frame()).toContain('Lesson 1/13 · step 1/');
		expect(() => JSON.parse(readFileSync(path.join(dir, 'progress.json'), 'utf8')) as unknown).not.toThrow();
	});

	it('says once that progress cannot be saved, and goes on', async () => {
		// A file where the config folder should be: the folder cannot be made.
		const dir = path.join(work, `not-a-folder-${++dirs}`);
		writeFileSync(dir, '');
		const app = renderWithProgress(dir);
		await waitFor(() => expect(app.frame()).toContain('Progress not saved: could not write'));
		await typeKeys(app.stdin, right);
		await waitFor(() => expect(app.frame()).toContain('Lesson 1/13 · step 2/'));
	});
});
