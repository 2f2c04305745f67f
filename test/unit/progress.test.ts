import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import type {LabEvent} from '../../source/lab/shared/events.js';
import {loadCourse} from '../../source/lessons/load.js';
import {type EngineAction, type EngineState, initialState, lessonProgress, reduce} from '../../source/lessons/step-engine.js';
import {checkProgress} from '../../source/progress/check-progress.js';
import {configDir} from '../../source/progress/config-dir.js';
import {emptyProgress, mergeProgress, type Progress, resumeFrom} from '../../source/progress/progress.js';

// intro: 0 read, 1 question (a–c, answer b); lab: 0 read, 1 wait 2 probes, 2 prompt d drop-on, 3–5 more
const {lessons} = loadCourse(fileURLToPath(new URL('../fixtures/course/', import.meta.url)));
const run = (state: EngineState, ...actions: EngineAction[]) => actions.reduce(reduce, state);
const probe: EngineAction = {
	type: 'lab-event',
	event: {t: 2, type: 'packet', from: 'server', flags: ['ACK'], seq: 0, ack: 1, relSeq: 0, relAck: 1, len: 0, kind: 'keepalive'} satisfies LabEvent,
};
const next: EngineAction = {type: 'next'};

/** The intro read and answered (wrongly, with c), then the lab lesson's exercise passed: at lab step 2. */
const learned = () => run(initialState(lessons), next, {type: 'answer', choice: 2}, next, next, probe, probe, next);

describe('progress from the step engine', () => {
	it('holds the steps done, the answers and where the learner is, lessons by id and steps by index', () => {
		expect(mergeProgress(emptyProgress, learned())).toEqual({
			version: 1,
			at: {lesson: 'lab', step: 2},
			lessons: {intro: {done: [0, 1], answers: {1: 2}}, lab: {done: [0, 1], answers: {}}},
		});
	});

	it('keeps the lessons the course does not have (another course, a lesson since removed)', () => {
		const previous: Progress = {version: 1, lessons: {gone: {done: [0], answers: {}}, intro: {done: [0, 1], answers: {1: 0}}}};
		const engine = initialState(lessons, resumeFrom(previous, lessons));
		expect(mergeProgress(previous, engine).lessons).toEqual(previous.lessons);
	});

	it('a lesson with nothing done is left out', () => {
		expect(mergeProgress(emptyProgress, initialState(lessons))).toEqual({version: 1, at: {lesson: 'intro', step: 0}, lessons: {}});
	});
});

describe('resuming', () => {
	it('starts the engine where the learner left off, with what was done and answered', () => {
		const saved = mergeProgress(emptyProgress, learned());
		const resumed = initialState(lessons, resumeFrom(saved, lessons));
		expect([resumed.lesson, resumed.step]).toEqual([1, 2]);
		expect(resumed.answers).toEqual({'intro/1': {choice: 2, correct: false}});
		// The menu's marks: intro ✓ (all done), lab ◐.
		expect(lessonProgress(resumed, 0)).toMatchObject({done: 2, steps: 2, questions: 1, right: 0});
		expect(lessonProgress(resumed, 1)).toMatchObject({done: 2, steps: 6});
		expect(mergeProgress(saved, resumed)).toEqual(saved);
	});

	it('--lesson wins over the saved place, and keeps what was done', () => {
		const resumed = initialState(lessons, resumeFrom(mergeProgress(emptyProgress, learned()), lessons, 0));
		expect([resumed.lesson, resumed.step]).toEqual([0, 0]);
		expect(lessonProgress(resumed, 0).done).toBe(2);
	});

	it('fits old progress to a changed course', () => {
		const old: Progress = {
			version: 1,
			at: {lesson: 'intro', step: 9},
			// Step 0 is no question now, choice 5 is past intro's three, lab step 40 is gone.
			lessons: {intro: {done: [], answers: {0: 1, 1: 5}}, lab: {done: [0, 40], answers: {}}},
		};
		const resumed = initialState(lessons, resumeFrom(old, lessons));
		expect([resumed.lesson, resumed.step]).toEqual([0, 0]);
		expect(resumed.answers).toEqual({});
		expect(resumed.done).toEqual({'lab/0': true});
		const gone = initialState(lessons, resumeFrom({version: 1, at: {lesson: 'removed', step: 3}, lessons: {}}, lessons));
		expect([gone.lesson, gone.step]).toEqual([0, 0]);
	});

	it('an answered question counts as done, so the learner is not stuck on it', () => {
		const resumed = initialState(lessons, resumeFrom({version: 1, at: {lesson: 'intro', step: 1}, lessons: {intro: {done: [], answers: {1: 1}}}}, lessons));
		expect(resumed.answers['intro/1']).toEqual({choice: 1, correct: true});
		expect(reduce(resumed, next).lesson).toBe(1);
	});
});

describe('checking a parsed file', () => {
	it('gives back what it knows, leaving unknown fields out', () => {
		const file = {version: 1, at: {lesson: 'lab', step: 2}, lessons: {intro: {done: [0, 1], answers: {1: 2}, extra: true}}, later: 'x'};
		expect(checkProgress(file)).toEqual({progress: {version: 1, at: {lesson: 'lab', step: 2}, lessons: {intro: {done: [0, 1], answers: {1: 2}}}}});
		expect(checkProgress({version: 1, lessons: {}})).toEqual({progress: emptyProgress});
	});

	it.each([
		[null, 'it is not a JSON object'],
		[[1, 2], 'it is not a JSON object'],
		['progress', 'it is not a JSON object'],
		[{lessons: {}}, 'it has no version number'],
		[{version: '1', lessons: {}}, 'it has no version number'],
		[{version: 2, lessons: {}}, 'it is format version 2; this ka-tutorial reads version 1'],
		[{version: 1}, 'lessons is not an object'],
		[{version: 1, lessons: []}, 'lessons is not an object'],
		[{version: 1, lessons: {intro: 3}}, 'lessons.intro is not an object'],
		[{version: 1, lessons: {intro: {answers: {}}}}, 'lessons.intro.done is not a list'],
		[{version: 1, lessons: {intro: {done: [0, -1], answers: {}}}}, 'lessons.intro.done[1] is not a step index (a whole number from 0)'],
		[{version: 1, lessons: {intro: {done: [1.5], answers: {}}}}, 'lessons.intro.done[0] is not a step index (a whole number from 0)'],
		[{version: 1, lessons: {intro: {done: ['0'], answers: {}}}}, 'lessons.intro.done[0] is not a step index (a whole number from 0)'],
		[{version: 1, lessons: {intro: {done: []}}}, 'lessons.intro.answers is not an object'],
		[{version: 1, lessons: {intro: {done: [], answers: {first: 0}}}}, 'lessons.intro.answers has the key "first", not a step index'],
		[{version: 1, lessons: {intro: {done: [], answers: {'01': 0}}}}, 'lessons.intro.answers has the key "01", not a step index'],
		[{version: 1, lessons: {intro: {done: [], answers: {1: 'b'}}}}, 'lessons.intro.answers.1 is not a choice (a whole number from 0)'],
		[{version: 1, lessons: {}, at: 'intro'}, 'at is not {"lesson": id, "step": index}'],
		[{version: 1, lessons: {}, at: {lesson: 'intro', step: -1}}, 'at is not {"lesson": id, "step": index}'],
		[{version: 1, lessons: {}, at: {step: 0}}, 'at is not {"lesson": id, "step": index}'],
	])('refuses %j: %s', (value, reason) => {
		expect(checkProgress(value)).toEqual({reason});
	});
});

describe('the config directory', () => {
	const passwdHome = () => '/root';
	it('is KA_TUTORIAL_CONFIG_DIR when set, made absolute', () => {
		expect(configDir({env: {KA_TUTORIAL_CONFIG_DIR: '/tmp/ka', XDG_CONFIG_HOME: '/x'}, uid: 1000, passwdHome})).toBe('/tmp/ka');
		expect(configDir({env: {KA_TUTORIAL_CONFIG_DIR: 'rel'}, uid: 0, passwdHome})).toBe(`${process.cwd()}/rel`);
	});

	it('follows the XDG Base Directory spec: $XDG_CONFIG_HOME when absolute, else ~/.config', () => {
		expect(configDir({env: {XDG_CONFIG_HOME: '/home/ann/cfg', HOME: '/home/ann'}, uid: 1000, passwdHome})).toBe('/home/ann/cfg/ka-tutorial');
		expect(configDir({env: {XDG_CONFIG_HOME: 'cfg', HOME: '/home/ann'}, uid: 1000, passwdHome})).toBe('/home/ann/.config/ka-tutorial');
		expect(configDir({env: {HOME: '/home/ann'}, uid: 1000, passwdHome})).toBe('/home/ann/.config/ka-tutorial');
		expect(configDir({env: {}, uid: 1000, passwdHome: () => '/home/ann'})).toBe('/home/ann/.config/ka-tutorial');
	});

	it("as root (sudo), root's own from the password database, never the learner's $HOME or $XDG_CONFIG_HOME", () => {
		const sudoE = {HOME: '/home/ann', XDG_CONFIG_HOME: '/home/ann/.config', SUDO_USER: 'ann'};
		expect(configDir({env: sudoE, uid: 0, passwdHome})).toBe('/root/.config/ka-tutorial');
	});
});
