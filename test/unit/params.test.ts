import {describe, expect, it} from 'vitest';
import {kernelDefaults, limits, presets} from '../../source/lab/shared/params.js';

describe('keepalive parameters', () => {
	it('knows the kernel defaults and the article values', () => {
		expect(kernelDefaults).toEqual({idle: 7200, intvl: 75, probes: 9});
		expect(presets.article).toEqual({idle: 55, intvl: 6, probes: 2});
		expect(limits.probes.max).toBe(127);
	});
});
