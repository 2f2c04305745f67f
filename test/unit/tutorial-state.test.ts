import {describe, expect, it} from 'vitest';
import {tutorialReducer} from '../../source/ui/tutorial-state.js';
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
