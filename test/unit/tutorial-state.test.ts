import {describe, expect, it} from 'vitest';
import type {Verdict} from '../../source/exercises/verdict.js';
import {defaultLessonsDir} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import {initialTutorial, type TutorialAction, tutorialReducer} from '../../source/ui/tutorial-state.js';
import {tutorialAt as at, toPrompt} from '../helpers/fixture-tutorial.js';

describe('tutorialReducer: commands', () => {
	it('turns what the step engine asks of the lab into a command, and acknowledges it when done', () => {
		const asked = at(1, ...toPrompt, {type: 'key', key: 'd'});
		const pending = asked.engine.pendingAction!;
		expect(asked.commands).toEqual([{id: 1, type: 'drop', on: true, engineAction: pending.id}]);
		const done = tutorialReducer(asked, {type: 'command-done', id: 1});
		expect(done.commands).toEqual([]);
		expect(done.engine.pendingAction).toBeNull();
	});

	it('says so when the lab could not carry a command out', () => {
		const asked = at(1, ...toPrompt, {type: 'key', key: 'd'});
		const failed = tutorialReducer(asked, {type: 'command-done', id: 1, error: "the lab's client has not connected"});
		expect(failed.notice).toBe("The lab could not do that: the lab's client has not connected.");
		expect(failed.engine.pendingAction).toBeNull();
	});

	it('restarts the lab only in a lesson with one', () => {
		expect(at(1, {type: 'restart-lab'}).commands).toEqual([{id: 1, type: 'restart-lab'}]);
		const none = at(0, {type: 'restart-lab'});
		expect(none.commands).toEqual([]);
		expect(none.notice).toMatch(/^This lesson has no lab/);
	});

	it('quits once the lab has stopped: the command, then the exit code', () => {
		const quitting = at(1, {type: 'quit', code: 130});
		expect(quitting).toMatchObject({quitting: true, exitCode: null, commands: [{id: 1, type: 'quit', code: 130}]});
		expect(tutorialReducer(quitting, {type: 'command-done', id: 1})).toMatchObject({exitCode: 130, commands: []});
	});

	it('numbers commands in the order they were asked for, whoever asked', () => {
		const both = at(1, ...toPrompt, {type: 'key', key: 'd'}, {type: 'restart-lab'}, {type: 'quit', code: 0});
		expect(both.commands.map(command => [command.id, command.type])).toEqual([
			[1, 'drop'],
			[2, 'restart-lab'],
			[3, 'quit'],
		]);
	});
});

describe('tutorialReducer: moving', () => {
	it('goes to the next or previous lesson, with a notice at either end', () => {
		expect(at(0, {type: 'lesson-by', by: 1}).engine.lesson).toBe(1);
		expect(at(0, {type: 'lesson-by', by: -1}).notice).toBe('This is the first lesson.');
		expect(at(1, {type: 'lesson-by', by: 1}).notice).toBe('This is the last lesson.');
	});

	it('opens the lesson highlighted in the menu', () => {
		const opened = at(0, {type: 'overlay', overlay: 'menu'}, {type: 'menu-move', by: 1}, {type: 'menu-open'});
		expect(opened).toMatchObject({overlay: null, engine: {lesson: 1, step: 0}});
	});
});

describe('tutorialReducer: exercises', () => {
	const course = loadCourse(defaultLessonsDir());
	const verdict = (status: 'pass' | 'fail'): Verdict => ({status, results: [{status, text: 'rst within 20 s of drop', reason: 'the RST came 13.3 s after the drop'}]});
	const typed = (...actions: TutorialAction[]) => actions.reduce(tutorialReducer, initialTutorial(course, {exercise: 0}));
	const values = (idle: string, intvl: string, probes: string): TutorialAction[] =>
		[...idle, 'tab', ...intvl, 'tab', ...probes].map(key => (key === 'tab' ? {type: 'form-move', by: 1} : {type: 'form-digit', digit: key}));

	it('runs valid values as a command, remembering them, and keeps a pass', () => {
		const asked = typed(...values('4', '3', '3'), {type: 'exercise-run'});
		const params = {idle: 4, intvl: 3, probes: 3};
		expect(asked.commands).toEqual([{id: 1, type: 'run-exercise', exercise: course.exercises[0], params}]);
		expect(asked.exercise?.run).toMatchObject({id: 1, phase: 'starting', params});
		expect(asked.exerciseProgress[course.exercises[0]!.id]).toEqual({passed: false, tried: params});
		const running = tutorialReducer(asked, {type: 'exercise-report', id: 1, verdict: verdict('fail')});
		// While it runs the form waits.
		expect(tutorialReducer(running, {type: 'form-digit', digit: '9'}).notice).toBe('A run is on: wait for its verdict.');
		const passed = tutorialReducer(running, {type: 'exercise-report', id: 1, verdict: verdict('pass'), done: true});
		expect(passed.exercise?.run?.phase).toBe('done');
		expect(passed.exerciseProgress[course.exercises[0]!.id]).toEqual({passed: true, tried: params});
		// A report of an older run changes nothing.
		expect(tutorialReducer(passed, {type: 'exercise-report', id: 7, verdict: verdict('fail'), done: true})).toBe(passed);
	});

	it('refuses a bad value without a command, and a run that could not start says why in its place', () => {
		const refused = typed(...values('31', '3', '3'), {type: 'exercise-run'});
		expect(refused.commands).toEqual([]);
		expect(refused.exercise).toMatchObject({invalid: 'idle', focus: 0});
		const asked = typed(...values('4', '3', '3'), {type: 'exercise-run'});
		const failed = tutorialReducer(asked, {type: 'command-done', id: 1, error: 'unshare: no user namespaces'});
		expect(failed.exercise?.run).toMatchObject({phase: 'done', failure: 'unshare: no user namespaces'});
		expect(failed.notice).toBeNull();
	});

	it('comes after the last lesson, and the menu lists the exercises after the lessons', () => {
		const last = initialTutorial(course, {lesson: course.lessons.length - 1});
		expect(tutorialReducer(last, {type: 'lesson-by', by: 1}).exercise?.index).toBe(0);
		const menu = [{type: 'overlay', overlay: 'menu'}, {type: 'menu-move', by: 2}, {type: 'menu-open'}] satisfies TutorialAction[];
		const opened = menu.reduce(tutorialReducer, last);
		expect(opened.exercise?.index).toBe(1);
		expect(opened.overlay).toBeNull();
		// Back to a lesson from the menu leaves the exercise.
		const back = [{type: 'overlay', overlay: 'menu'}, {type: 'menu-move', by: -2}, {type: 'menu-open'}] satisfies TutorialAction[];
		const lesson = back.reduce(tutorialReducer, opened);
		expect(lesson.exercise).toBeNull();
		expect(lesson.engine.lesson).toBe(course.lessons.length - 1);
	});
});
