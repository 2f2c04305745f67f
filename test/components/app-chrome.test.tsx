import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {defaultLessonsDir, loadCourse} from '../../source/lessons/load.js';
import {initialState, reduce} from '../../source/lessons/step-engine.js';
import {Help} from '../../source/ui/Help.js';
import {fitHints, type KeyHint, KeyHints} from '../../source/ui/KeyHints.js';
import {layout} from '../../source/ui/layout.js';
import {LessonMenu, menuRow} from '../../source/ui/LessonMenu.js';
import {anyColour, columns, rows, withChalkColours} from '../helpers/ink.js';
import {plain} from '../helpers/wait-for.js';

const course = loadCourse(defaultLessonsDir());

const hints: KeyHint[] = [
	{key: 'd', label: 'drop', priority: 6, highlight: true},
	{key: '→', label: 'next', priority: 5},
	{key: '←', label: 'back', priority: 3},
	{key: 'n/p', label: 'lesson', priority: 2},
	{key: 'm', label: 'menu', priority: 2},
	{key: 'r', label: 'restart lab', priority: 1},
	{key: '?', label: 'help', priority: 3},
	{key: 'q', label: 'quit', priority: 5},
];

afterEach(() => {
	cleanup();
});

describe('KeyHints', () => {
	it('shows every hint in one row when there is room', () => {
		const frame = plain(render(<KeyHints hints={hints} width={80} color={false} />).lastFrame());
		expect(frame).toBe('d drop  → next  ← back  n/p lesson  m menu  r restart lab  ? help  q quit');
	});

	it('drops the least needed hints first in a narrow terminal, keeping their order', () => {
		expect(fitHints(hints, 40).map(hint => hint.key)).toEqual(['d', '→', '←', '?', 'q']);
		const frame = plain(render(<KeyHints hints={hints} width={29} color={false} />).lastFrame());
		expect(frame).toBe('d drop  → next  q quit');
	});

	describe('in colour', () => {
		withChalkColours();

		it('colours the keys, and nothing with colour off', () => {
			expect(render(<KeyHints hints={hints} width={80} color />).lastFrame()).toMatch(anyColour);
			expect(render(<KeyHints hints={hints} width={80} color={false} />).lastFrame()).not.toMatch(anyColour);
		});
	});
});

describe('Help', () => {
	it('lists every key in the pane\'s width', () => {
		const frame = plain(render(<Help lessonCount={7} width={39} height={22} color={false} />).lastFrame());
		for (const text of ['→ space enter', 'next step', 'n p', '1–7', 'go to that lesson', 'restart the lab', 'q Ctrl-C', 'Press any key to close.']) {
			expect(frame).toContain(text);
		}

		expect(rows(frame).length).toBeLessThanOrEqual(22);
		for (const line of rows(frame)) expect(columns(line)).toBeLessThanOrEqual(39);
	});

	it('puts the key above its meaning when the pane is very narrow', () => {
		const frame = plain(render(<Help lessonCount={7} width={20} height={40} color={false} />).lastFrame());
		expect(frame).toContain('→ space enter\n  next step');
		for (const line of rows(frame)) expect(columns(line)).toBeLessThanOrEqual(20);
	});
});

describe('LessonMenu', () => {
	it('lists the lessons with the lab mark and progress, the selected one marked', () => {
		let engine = initialState(course, {lesson: 2});
		engine = reduce(engine, {type: 'next'});
		const frame = plain(render(<LessonMenu engine={engine} selected={5} width={39} height={22} color={false} />).lastFrame());
		expect(frame).toContain('  1   Why keepalive exists          0/7');
		expect(frame).toContain('  3 ◐ Where the knobs are set   lab 1/9');
		expect(frame).toContain('▸ 6   Cut the wire              lab 0/8');
		expect(frame).toContain('✓ done  ◐ started  lab: live lab');
		for (const line of rows(frame)) expect(columns(line)).toBeLessThanOrEqual(39);
	});

	it('marks a finished lesson and cuts long titles', () => {
		let engine = initialState(course, {lesson: 1});
		for (let step = 0; step < 5; step++) engine = reduce(engine, {type: 'next'});
		engine = reduce(engine, {type: 'key', key: 'c'});
		expect(menuRow(engine, 1, false, 39)).toBe('  2 ✓ The three knobs               6/6');
		expect(menuRow(engine, 4, false, 27)).toBe('  5   Watching kee… lab 0/6');
	});
});

describe('layout', () => {
	it('puts the lesson left and the lab right at 80 × 24, the lesson text 39 columns wide', () => {
		expect(layout(80, 24, true)).toEqual({
			stacked: false,
			rows: 23,
			columns: 80,
			lessonWidth: 39,
			lessonHeight: 22,
			labWidth: 40,
			labHeight: 22,
			gap: 1,
		});
	});

	it('gives a larger terminal wider panes', () => {
		const wide = layout(120, 40, true);
		expect(wide.lessonWidth).toBe(46);
		expect(wide.labWidth).toBe(73);
		expect(wide.labHeight).toBe(38);
		expect(layout(200, 50, true).lessonWidth).toBe(60);
	});

	it('stacks the panes below 70 columns', () => {
		const narrow = layout(60, 30, true);
		expect(narrow.stacked).toBe(true);
		expect(narrow.lessonWidth).toBe(60);
		expect(narrow.labWidth).toBe(60);
		expect(narrow.lessonHeight + narrow.labHeight).toBe(28);
		expect(narrow.labHeight).toBeGreaterThanOrEqual(8);
	});

	it('keeps lines readable without a lab', () => {
		expect(layout(200, 50, false)).toMatchObject({lessonWidth: 76, labWidth: 0});
		expect(layout(60, 20, false)).toMatchObject({lessonWidth: 60, labWidth: 0});
	});
});
