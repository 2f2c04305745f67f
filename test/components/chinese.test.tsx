import type {EventEmitter} from 'node:events';
import path from 'node:path';
import {cleanup} from 'ink-testing-library';
import stringWidth from 'string-width';
import type {ReactElement} from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {defaultLessonsDir} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import {initialState} from '../../source/lessons/step-engine.js';
import {App} from '../../source/ui/App.js';
import {Help} from '../../source/ui/Help.js';
import {LabPane} from '../../source/ui/lab/LabPane.js';
import {labView, initialLabView} from '../../source/ui/lab/lab-view.js';
import {LabUnavailable} from '../../source/ui/lab/LabUnavailable.js';
import {SegmentRow} from '../../source/ui/lab/SegmentRow.js';
import {LessonMenu} from '../../source/ui/LessonMenu.js';
import {catalogs} from '../../source/ui/messages/messages.js';
import {TooSmall} from '../../source/ui/TooSmall.js';
import {afterReading, loadEvents} from '../helpers/events.js';
import {fakeLabFactory} from '../helpers/fake-lab.js';
import {renderThemed, rows, typeKeys} from '../helpers/ink.js';
import {plain, waitFor} from '../helpers/wait-for.js';

/* The screens in Simplified Chinese: its words, and columns that hold with double-width characters. */

const {zh} = catalogs;
const course = loadCourse(path.join(defaultLessonsDir(), 'zh'));
/** Recorded from the real lab (test/fixtures/events/README.md). */
const run = loadEvents('fast-drop');
const params = {idle: 2, intvl: 1, probes: 3};
const show = (tree: ReactElement) => plain(renderThemed(tree, false, zh).lastFrame());

afterEach(() => {
	cleanup();
});

function expectFits(frame: string, width: number) {
	for (const line of rows(frame)) expect(stringWidth(line), line).toBeLessThanOrEqual(width);
}

/** The terminal column at which `part` starts in `row`. */
const columnOf = (row: string, part: string) => stringWidth(row.slice(0, row.indexOf(part)));

describe('the lab pane in Chinese', () => {
	it('aligns the countdowns, the counters and the packet columns at 40 columns after every event of a run', () => {
		let view = initialLabView;
		for (const event of run) {
			view = labView(view, event);
			const frame = show(<LabPane view={afterReading(view, {side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 0.5, probesOut: 1})} params={params} width={40} height={22} />);
			expectFits(frame, 40);
		}

		const frame = show(<LabPane view={view} params={params} width={40} height={22} />);
		const lines = rows(frame);
		expect(frame).toContain('实验 ');
		expect(frame).toMatch(/服务器 ETIMEDOUT [\d.]+ 秒/);
		// The three countdown rows: labels padded by columns, values from one column.
		const countdowns = ['定时器', '下一次', '探测'].map(label => lines.find(line => line.startsWith(label))!);
		for (const row of countdowns) expect(stringWidth(row.slice(0, row.search(/ \S/) + 1)), row).toBe(7);
		expect(frame).toContain('已发探测 ');
		// Every packet row's direction and kind start under the header's.
		const header = lines.find(line => line.includes('时间'))!;
		const packets = lines.filter(line => /[\d.]+ [SC]→[SC]/.test(line));
		expect(packets.length).toBeGreaterThan(3);
		for (const row of packets) {
			expect(columnOf(row, '→') - 1, row).toBe(columnOf(header, '方向'));
			expect(columnOf(row, row.includes('Keep-Alive') ? 'Keep-Alive' : row.includes('RST') ? 'RST' : 'SYN'), row).toBe(columnOf(header, '类型'));
		}

		expect(packets.some(row => row.includes('✗'))).toBe(true);
	});

	it('cuts its rows at narrow widths itself, at a column boundary, never through a character', () => {
		const view = afterReading(labView(initialLabView, run[0]!), {side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 12.5, probesOut: 1});
		const wide = rows(show(<LabPane view={view} params={params} width={60} height={24} />));
		const timerRow = wide.find(line => line.startsWith('定时器'))!;
		for (const width of [9, 12, 13, 21, 27]) {
			const lines = rows(show(<LabPane view={view} params={params} width={width} height={24} />));
			expectFits(lines.join('\n'), width);
			// The countdown row is its own start: as many whole characters as fit.
			let fit = '';
			for (const char of timerRow) {
				if (stringWidth(fit + char) > width) break;
				fit += char;
			}

			expect(lines.find(line => line.startsWith('定时器'))).toBe(fit.trimEnd());
		}

		// '定时器 ' takes 7 columns: at 8 the next double-width character does not fit, at 9 it does.
		const segments = [{text: '定时器 '}, {text: '保活，12 秒后触发', color: 'green'}];
		expect(show(<SegmentRow segments={segments} width={8} />)).toBe('定时器');
		expect(show(<SegmentRow segments={segments} width={9} />)).toBe('定时器 保');
	});

	it('says why the lab cannot run, with the general fix when the lab names none', () => {
		const frame = show(<LabUnavailable error={{message: 'no namespaces here'}} width={44} />);
		expect(frame).toContain('这里无法运行实时实验');
		expect(frame).toContain('解决办法：');
		expect(frame).toContain('`ka-tutorial lab`');
		expectFits(frame, 44);
	});
});

describe('the chrome in Chinese', () => {
	it('lists every key in the help, fitted to 39 columns', () => {
		const frame = show(<Help lessonCount={7} width={39} height={22} />);
		expect(frame).toContain('按键');
		expect(frame).toMatch(/→ 空格 回车 +下一步/);
		expect(frame).toContain('退出（先停止实验）');
		expectFits(frame, 39);
	});

	it('lines up the menu: titles of double-width characters padded by columns', () => {
		const frame = show(<LessonMenu engine={initialState(course)} selected={0} width={39} height={22} />);
		const lessons = rows(frame).filter(row => /\d\/\d+$/.test(row.trimEnd()));
		expect(lessons).toHaveLength(13);
		for (const row of lessons) expect(stringWidth(row.trimEnd()), row).toBe(39);
		expect(frame).toContain('✓ 已完成');
	});

	it('wraps the too-small message between characters, never wider than the terminal', () => {
		const frame = show(<TooSmall columns={30} rows={10} />);
		expect(frame.replaceAll('\n', '')).toContain('当前只有 30×10');
		expectFits(frame, 30);
	});

	it('draws the tutorial at 80 × 24 in Chinese: key hints, the lesson, and the step engine\'s notice', async () => {
		const factory = fakeLabFactory(run.slice(0, run.findIndex(event => event.type === 'firewall')));
		const cut = course.lessons.findIndex(lesson => lesson.id === 'cut-the-wire');
		const result = renderThemed(<App course={course} startLab={factory.startLab} labOptions={params} start={{lesson: cut}} />, false, zh);
		const stdout = result.stdout as unknown as EventEmitter;
		Object.defineProperty(stdout, 'columns', {value: 80, configurable: true});
		Object.defineProperty(stdout, 'rows', {value: 24, configurable: true});
		stdout.emit('resize');
		const frame = () => plain(result.lastFrame());
		await waitFor(() => expect(frame()).toContain('端口 6699'));
		expect(frame()).toMatch(/^剪断网线 +实验 (netns|userns)/);
		expect(frame()).toContain('第 6/13 课 · 第 1/8 步');
		expect(frame()).toMatch(/→ 下一步 {2}← 上一步 {2}n\/p 换课/);
		expectFits(frame(), 80);
		// The prompt asks for d; → before it gets the engine's notice, in Chinese.
		await typeKeys(result.stdin, '\u001B[C', '\u001B[C');
		await waitFor(() => expect(frame()).toContain('! 请先按 d。'));
		expect(frame()).toContain('▶ 按 d 丢弃客户端的包');
		expect(frame()).toMatch(/d 丢包 {2}→ 下一步/);
	});
});
