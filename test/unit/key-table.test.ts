import {describe, expect, it} from 'vitest';
import {helpLinesFor, hintsFor, intentFor} from '../../source/ui/keys/key-lookup.js';
import {keyName} from '../../source/ui/keys/key-name.js';
import type {KeyContext} from '../../source/ui/keys/key-table.js';
import {tutorialReducer, type TutorialState} from '../../source/ui/tutorial-state.js';
import {tutorialAt as at, toPrompt} from '../helpers/fixture-tutorial.js';

const context = (state: TutorialState, extra: Partial<KeyContext> = {}): KeyContext => ({state, maxScroll: 0, page: 5, lab: 'running', ...extra});
const question = at(0, {type: 'next'});
const prompt = at(1, ...toPrompt);
const keysOf = (state: TutorialState, extra?: Partial<KeyContext>) => hintsFor(context(state, extra)).map(hint => `${hint.key} ${hint.label}`);

describe('keyName', () => {
	it('names special keys, modified keys and characters', () => {
		expect(keyName('', {rightArrow: true})).toBe('right');
		expect(keyName('', {upArrow: true, meta: true})).toBe('up');
		expect(keyName('', {escape: true, meta: true})).toBe('escape');
		expect(keyName('\r', {return: true})).toBe('return');
		expect(keyName('c', {ctrl: true})).toBe('ctrl-c');
		expect(keyName('n', {meta: true})).toBe('alt-n');
		expect(keyName('N', {})).toBe('N');
	});
});

describe('intentFor', () => {
	it('gives the step its own keys before the global ones, but never q or ?', () => {
		expect(intentFor('b', context(question))).toEqual({type: 'key', key: 'b'});
		expect(intentFor('B', context(question))).toEqual({type: 'key', key: 'B'});
		expect(intentFor('d', context(prompt))).toEqual({type: 'key', key: 'd'});
		// Not this step's key: its global meaning, or none.
		expect(intentFor('n', context(question))).toEqual({type: 'lesson-by', by: 1});
		expect(intentFor('d', context(question))).toBeNull();
		expect(intentFor('q', context(question))).toEqual({type: 'quit', code: 0});
		expect(intentFor('?', context(question))).toEqual({type: 'overlay', overlay: 'help'});
	});

	it('reads the arrows, pages and number keys of the lesson', () => {
		expect(intentFor(' ', context(question))).toEqual({type: 'next'});
		expect(intentFor('pagedown', context(question, {maxScroll: 12}))).toEqual({type: 'scroll', by: 5, max: 12});
		expect(intentFor('2', context(question))).toEqual({type: 'goto-lesson', index: 1});
		// The course has two lessons.
		expect(intentFor('3', context(question))).toBeNull();
	});

	it('in the menu, moves, opens and closes', () => {
		const menu = at(0, {type: 'overlay', overlay: 'menu'});
		expect(intentFor('up', context(menu))).toEqual({type: 'menu-move', by: -1});
		expect(intentFor('j', context(menu))).toEqual({type: 'menu-move', by: 1});
		expect(intentFor('return', context(menu))).toEqual({type: 'menu-open'});
		expect(intentFor('m', context(menu))).toEqual({type: 'overlay', overlay: null});
		expect(intentFor('?', context(menu))).toEqual({type: 'overlay', overlay: 'help'});
	});

	it('in the help, closes on any key but q and Ctrl-C, which quit', () => {
		const help = at(0, {type: 'overlay', overlay: 'help'});
		expect(intentFor('x', context(help))).toEqual({type: 'overlay', overlay: null});
		expect(intentFor('left', context(help))).toEqual({type: 'overlay', overlay: null});
		expect(intentFor('q', context(help))).toEqual({type: 'quit', code: 0});
		expect(intentFor('ctrl-c', context(help))).toEqual({type: 'quit', code: 130});
	});

	it('does nothing once quitting', () => {
		const quitting = at(0, {type: 'quit', code: 0});
		expect(intentFor('right', context(quitting))).toBeNull();
		expect(intentFor('ctrl-c', context(quitting))).toBeNull();
	});
});

describe('hintsFor', () => {
	it('lists the keys that apply, the one the step asks for first', () => {
		expect(keysOf(question, {lab: 'none'})).toEqual(['a–c answer', '→ next', '← back', 'n/p lesson', 'm menu', '? help', 'q quit']);
		expect(keysOf(prompt, {maxScroll: 3})).toEqual(['d drop', '→ next', '← back', '↑↓ scroll', 'n/p lesson', 'm menu', 'r restart lab', '? help', 'q quit']);
		expect(keysOf(prompt, {lab: 'unavailable'})).toContain('r try the lab again');
		// Answered: no answer hint.
		expect(keysOf(tutorialReducer(question, {type: 'key', key: 'a'}))[0]).toBe('→ next');
	});

	it('lists the overlays\' own keys', () => {
		expect(keysOf(at(0, {type: 'overlay', overlay: 'menu'}))).toEqual(['↑↓ choose', 'enter open', '1–2 lesson', 'esc close', 'q quit']);
		expect(keysOf(at(0, {type: 'overlay', overlay: 'help'}))).toEqual(['any key close', 'q quit']);
	});
});

describe('helpLinesFor', () => {
	it('names every key of the lesson, in the order a learner needs them', () => {
		expect(helpLinesFor(7).map(line => line.keys)).toEqual(['→ space enter', '←', '↑ ↓', 'n p', '1–7', 'm', 'a b c …', 'd …', 'r', '?', 'q Ctrl-C']);
	});

	it('names the number keys there are: one digit each, the menu for the lessons past 9', () => {
		expect(helpLinesFor(13).map(line => line.keys)).toContain('1–9');
	});
});
