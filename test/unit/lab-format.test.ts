import {describe, expect, it} from 'vitest';
import {formatSeconds, formatT} from '../../source/ui/lab/format.js';

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
