import {describe, expect, it} from 'vitest';
import {kernelDefaults, limits, parseParam, parseParams, presets} from '../../source/lab/params.js';

describe('keepalive parameters', () => {
	it('accepts the edges of the kernel ranges', () => {
		expect(parseParam('idle', '1')).toBe(1);
		expect(parseParam('idle', '32767')).toBe(32_767);
		expect(parseParam('intvl', '32767')).toBe(32_767);
		expect(parseParam('probes', '127')).toBe(127);
	});

	it.each([
		['idle', '0', '--idle must be from 1 to 32767 seconds (the kernel\'s range); got 0.'],
		['idle', '32768', '--idle must be from 1 to 32767 seconds (the kernel\'s range); got 32768.'],
		['probes', '128', '--probes must be from 1 to 127 (the kernel\'s range); got 128.'],
		['intvl', '1.5', '--intvl must be a whole number from 1 to 32767 seconds; got "1.5".'],
		['intvl', '-3', '--intvl must be a whole number from 1 to 32767 seconds; got "-3".'],
		['probes', 'many', '--probes must be a whole number from 1 to 127; got "many".'],
		['idle', '', '--idle must be a whole number from 1 to 32767 seconds; got "".'],
	] as const)('refuses --%s %s with a message naming the range', (name, text, message) => {
		expect(parseParam(name, text)).toEqual({error: message});
	});

	it('reports every bad value at once and keeps the base for values not given', () => {
		expect(parseParams(presets.article, {idle: '0', probes: '200'})).toEqual({
			errors: [
				'--idle must be from 1 to 32767 seconds (the kernel\'s range); got 0.',
				'--probes must be from 1 to 127 (the kernel\'s range); got 200.',
			],
		});
		expect(parseParams(presets.fast, {intvl: '7'})).toEqual({idle: 5, intvl: 7, probes: 3});
	});

	it('knows the kernel defaults and the article values', () => {
		expect(kernelDefaults).toEqual({idle: 7200, intvl: 75, probes: 9});
		expect(presets.article).toEqual({idle: 55, intvl: 6, probes: 2});
		expect(limits.probes.max).toBe(127);
	});
});
