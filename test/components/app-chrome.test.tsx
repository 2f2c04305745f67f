import {cleanup} from 'ink-testing-library';
import stringWidth from 'string-width';
import {afterEach, describe, expect, it} from 'vitest';
import {defaultLessonsDir} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import {initialState, reduce} from '../../source/lessons/step-engine.js';
import {Help, helpLines} from '../../source/ui/Help.js';
import {fitHints, type KeyHint, KeyHints} from '../../source/ui/KeyHints.js';
import {layout, minColumns, minLessonRows, minRows} from '../../source/ui/layout.js';
import {LessonMenu, menuRow} from '../../source/ui/LessonMenu.js';
import {en} from '../../source/ui/messages/messages.js';
import {anyColour, columns, renderThemed, rows, withChalkColours} from '../helpers/ink.js';
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
		const frame = plain(renderThemed(<KeyHints hints={hints} width={80} />).lastFrame());
		expect(frame).toBe('d drop  → next  ← back  n/p lesson  m menu  r restart lab  ? help  q quit');
	});

	it('drops the least needed hints first in a narrow terminal, keeping their order', () => {
		expect(fitHints(hints, 40).map(hint => hint.key)).toEqual(['d', '→', '←', '?', 'q']);
		const frame = plain(renderThemed(<KeyHints hints={hints} width={29} />).lastFrame());
		expect(frame).toBe('d drop  → next  q quit');
	});

	it('measures hints in terminal columns: a CJK character takes two', () => {
		const chinese: KeyHint[] = [
			{key: 'd', label: '丢弃客户端的包', priority: 6},
			{key: '→', label: '下一步', priority: 5},
			{key: '?', label: '帮助', priority: 3},
			{key: 'q', label: '退出', priority: 5},
		];
		// All four take 42 columns, though only 28 characters.
		expect(fitHints(chinese, 34).map(hint => hint.key)).toEqual(['d', '→', 'q']);
		const frame = plain(renderThemed(<KeyHints hints={chinese} width={34} />).lastFrame());
		expect(frame).toBe('d 丢弃客户端的包  → 下一步  q 退出');
		expect(stringWidth(frame)).toBe(34);
	});

	describe('in colour', () => {
		withChalkColours();

		it('colours the keys, and nothing with colour off', () => {
			expect(renderThemed(<KeyHints hints={hints} width={80} />, true).lastFrame()).toMatch(anyColour);
			expect(renderThemed(<KeyHints hints={hints} width={80} />).lastFrame()).not.toMatch(anyColour);
		});
	});
});

describe('Help', () => {
	it('lists every key in the pane\'s width', () => {
		const frame = plain(renderThemed(<Help lessonCount={7} width={39} height={22} />).lastFrame());
		for (const text of ['→ space enter', 'next step', 'n p', '1–7', 'go to that lesson', 'restart the lab', 'q Ctrl-C', 'Press any key to close.']) {
			expect(frame).toContain(text);
		}

		expect(rows(frame).length).toBeLessThanOrEqual(22);
		for (const line of rows(frame)) expect(columns(line)).toBeLessThanOrEqual(39);
	});

	it('keeps every key in a short pane, leaving out the blank rows and the note on the lab first', () => {
		const full = rows(plain(renderThemed(<Help lessonCount={7} width={40} height={40} />).lastFrame()));
		expect(full[1]).toBe('');
		expect(full.join(' ')).toContain('your host is never touched');
		const short = rows(plain(renderThemed(<Help lessonCount={7} width={40} height={13} />).lastFrame()));
		expect(short).toHaveLength(13);
		expect(short[0]).toBe('Keys');
		expect(short[1]).toBe('→ space enter  next step');
		expect(short.at(-1)).toBe('               first)');
		expect(short.join(' ')).not.toContain('your host');
		expect(helpLines(7, 40, 15, en).at(-1)).toEqual([{text: 'Press any key to close.', style: {dim: true}}]);
	});

	it('puts the key above its meaning when the pane is very narrow', () => {
		const frame = plain(renderThemed(<Help lessonCount={7} width={20} height={40} />).lastFrame());
		expect(frame).toContain('→ space enter\n  next step');
		for (const line of rows(frame)) expect(columns(line)).toBeLessThanOrEqual(20);
	});
});

describe('LessonMenu', () => {
	it('lists the lessons with the lab mark and progress, the selected one marked', () => {
		let engine = initialState(course, {lesson: 2});
		engine = reduce(engine, {type: 'next'});
		const frame = plain(renderThemed(<LessonMenu engine={engine} selected={5} width={39} height={22} />).lastFrame());
		expect(frame).toContain('   1   Why keepalive exists         0/7');
		expect(frame).toContain('   3 ◐ Where the knobs are set  lab 1/9');
		expect(frame).toContain('▸  6   Cut the wire             lab 0/8');
		expect(frame).toContain('✓ done  ◐ started  lab: live lab');
		for (const line of rows(frame)) expect(columns(line)).toBeLessThanOrEqual(39);
	});

	it('keeps the selected lesson in view when not all rows fit, the legend and blank rows going first', () => {
		const engine = initialState(course, {lesson: 0});
		const short = rows(plain(renderThemed(<LessonMenu engine={engine} selected={6} width={40} height={5} />).lastFrame()));
		expect(short).toHaveLength(5);
		expect(short[0]).toBe('Lessons');
		expect(short.slice(1).map(row => row.slice(0, 4))).toEqual(['   5', '   6', '▸  7', '   8']);
		const fits = engine.lessons.length + 4;
		const roomy = rows(plain(renderThemed(<LessonMenu engine={engine} selected={0} width={40} height={fits} />).lastFrame()));
		expect(roomy).toHaveLength(fits);
		expect(roomy.at(-1)).toBe('✓ done  ◐ started  lab: live lab');
	});

	it('measures titles in terminal columns: a CJK character takes two', () => {
		const base = initialState(course, {lesson: 0});
		const lessons = base.lessons.map((lesson, index) => (index === 0 ? {...lesson, title: '为什么需要保活机制以及它如何工作'} : lesson));
		const engine = {...base, lessons};
		for (const width of [27, 39, 40]) {
			const row = menuRow(engine, 0, true, width, en.menu);
			expect(stringWidth(row), row).toBe(width);
			expect(row).toMatch(/… +0\/7$/);
		}
	});

	it('marks a finished lesson and cuts long titles', () => {
		let engine = initialState(course, {lesson: 1});
		for (let step = 0; step < 6; step++) engine = reduce(engine, {type: 'next'});
		engine = reduce(engine, {type: 'key', key: 'c'});
		expect(menuRow(engine, 1, false, 39, en.menu)).toBe('   2 ✓ The three knobs              7/7');
		expect(menuRow(engine, 4, false, 27, en.menu)).toBe('   5   Watching ke… lab 0/7');
	});
});

describe('layout', () => {
	it('puts the lesson left and the lab right at 80 × 24, the lesson text 39 columns wide', () => {
		expect(layout(80, 24, true)).toEqual({
			tooSmall: false,
			stacked: false,
			rows: 23,
			columns: 80,
			paneRows: 22,
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

	it('says below 40 × 15 that the terminal is too small, lab or not', () => {
		expect([minColumns, minRows]).toEqual([40, 15]);
		for (const hasLab of [true, false]) {
			expect(layout(40, 15, hasLab).tooSmall).toBe(false);
			expect(layout(39, 50, hasLab).tooSmall).toBe(true);
			expect(layout(200, 14, hasLab).tooSmall).toBe(true);
		}
	});

	it('gives the lesson and the lab their fewest rows at every size from the smallest up, never more rows than there are', () => {
		for (let columns = minColumns; columns <= 200; columns++) {
			for (let rows = minRows; rows <= 60; rows++) {
				const box = layout(columns, rows, true);
				const size = `${columns} × ${rows}`;
				expect(box.lessonHeight, size).toBeGreaterThanOrEqual(minLessonRows);
				// Stacked, a rule and the three countdowns; beside the lesson, at least 40 columns.
				expect(box.labHeight, size).toBeGreaterThanOrEqual(box.stacked ? 4 : minLessonRows);
				expect(box.stacked ? box.lessonHeight + box.labHeight : box.lessonHeight, size).toBe(box.paneRows);
				expect(box.stacked ? box.labWidth : box.lessonWidth + box.gap + box.labWidth, size).toBe(columns);
				if (!box.stacked) expect(box.labWidth, size).toBeGreaterThanOrEqual(40);
				expect(box.paneRows + 1, size).toBe(rows - 1);
			}
		}
	});

	it('stacks the panes below 80 columns, where the lab beside a 39-column lesson would have fewer than 40', () => {
		expect(layout(79, 24, true).stacked).toBe(true);
		expect(layout(80, 24, true).stacked).toBe(false);
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
