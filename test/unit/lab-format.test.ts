import {describe, expect, it} from 'vitest';
import {columnsOf, cutSegments, formatSeconds, formatT, sameRows, sameSegments} from '../../source/ui/lab/format.js';

describe('formatSeconds (the lab pane\'s durations)', () => {
	it('shows one decimal below 10 s, floored like the whole seconds', () => {
		expect(formatSeconds(1.53)).toBe('1.5 s');
		expect(formatSeconds(1.996)).toBe('1.9 s');
		expect(formatSeconds(9.96)).toBe('9.9 s');
		expect(formatSeconds(0.04)).toBe('0.0 s');
		expect(formatSeconds(9.94)).toBe('9.9 s');
	});

	it('shows whole seconds, floored, from 10 s to below 100 s', () => {
		expect(formatSeconds(10)).toBe('10 s');
		expect(formatSeconds(54.93)).toBe('54 s');
		expect(formatSeconds(99.99)).toBe('99 s');
	});

	it('shows minutes and hours from 100 s', () => {
		expect(formatSeconds(100)).toBe('1m 40s');
		expect(formatSeconds(114.7)).toBe('1m 54s');
		expect(formatSeconds(7199.99)).toBe('1h 59m 59s');
		expect(formatSeconds(7200)).toBe('2h 00m 00s');
	});

	it('never shows a negative duration', () => {
		expect(formatSeconds(-0.2)).toBe('0.0 s');
	});
});

describe('formatT', () => {
	it('shows event times with milliseconds', () => {
		expect(formatT(7.1)).toBe('7.100');
		expect(formatT(2.057)).toBe('2.057');
	});
});

describe('cutSegments (a lab pane row cut to the pane, so that Ink never clips it)', () => {
	const width = (segments: ReadonlyArray<{text: string}>) => segments.reduce((sum, {text}) => sum + columnsOf(text), 0);

	it('leaves a row that fits as it is', () => {
		const row = [{text: 'timer  '}, {text: 'keepalive, fires in 34 s', color: 'green', bold: true}];
		expect(cutSegments(row, 31)).toBe(row);
	});

	it('cuts at the width, in the segment that crosses it, keeping its style, and drops what follows', () => {
		const row = [{text: 'probes '}, {text: '[--]', dim: true}, {text: ' 0/2 none unanswered', italic: true}];
		expect(cutSegments(row, 9)).toEqual([{text: 'probes '}, {text: '[-', dim: true}]);
		expect(cutSegments(row, 7)).toEqual([{text: 'probes '}]);
		expect(cutSegments(row, 0)).toEqual([]);
	});

	it('cuts Chinese text at a column boundary, never through a double-width character', () => {
		const row = [{text: '定时器 '}, {text: '保活，12 秒后触发', color: 'green'}];
		for (let columns = 0; columns <= width(row); columns++) {
			const cut = cutSegments(row, columns);
			// At an odd column the character that would straddle the edge goes whole: one column stays free.
			expect(width(cut)).toBeLessThanOrEqual(columns);
			expect(width(cut)).toBeGreaterThanOrEqual(columns - 1);
			expect(row.map(({text}) => text).join('').startsWith(cut.map(({text}) => text).join(''))).toBe(true);
		}

		// '定时器 ' takes 7 columns, '保' two more.
		expect(cutSegments(row, 8)).toEqual([{text: '定时器 '}]);
		expect(cutSegments(row, 9)).toEqual([{text: '定时器 '}, {text: '保', color: 'green'}]);
	});
});

describe('sameSegments', () => {
	it('tells rows apart by text and by every style, not by identity', () => {
		expect(sameSegments([{text: 'a', bold: true}], [{text: 'a', bold: true}])).toBe(true);
		expect(sameSegments([{text: 'a', bold: false}], [{text: 'a'}])).toBe(true);
		expect(sameSegments([{text: 'a'}], [{text: 'b'}])).toBe(false);
		expect(sameSegments([{text: 'a', color: 'red'}], [{text: 'a', color: 'green'}])).toBe(false);
		expect(sameSegments([{text: 'a', italic: true}], [{text: 'a'}])).toBe(false);
		expect(sameSegments([{text: 'a'}], [{text: 'a'}, {text: ''}])).toBe(false);
	});
});

describe('sameRows', () => {
	it('compares row for row, and the number of rows', () => {
		expect(sameRows([[{text: 'a'}], [{text: 'b', bold: true}]], [[{text: 'a'}], [{text: 'b', bold: true}]])).toBe(true);
		expect(sameRows([[{text: 'a'}], [{text: 'b'}]], [[{text: 'a'}], [{text: 'b', dim: true}]])).toBe(false);
		expect(sameRows([[{text: 'a'}]], [[{text: 'a'}], []])).toBe(false);
		expect(sameRows([], [])).toBe(true);
	});
});
