import {describe, expect, it} from 'vitest';
import {colorsEnabled} from '../../source/ui/theme.js';

describe('colorsEnabled', () => {
	it('follows NO_COLOR (set and not empty) as no-color.org says', () => {
		expect(colorsEnabled({})).toBe(true);
		expect(colorsEnabled({NO_COLOR: ''})).toBe(true);
		expect(colorsEnabled({NO_COLOR: '1'})).toBe(false);
		expect(colorsEnabled({NO_COLOR: 'false'})).toBe(false);
	});
});
