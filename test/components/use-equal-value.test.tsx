import {Text} from 'ink';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {useEqualValue} from '../../source/ui/use-equal-value.js';

type Screen = {text: {text: string; style?: {dim: boolean}}[][]};
/** Each render's value as the hook gave it back. */
const seen: Screen[] = [];

function Probe({screen}: {screen: Screen}) {
	const kept = useEqualValue(screen);
	seen.push(kept);
	return <Text>{kept.text.map(line => line.map(span => span.text).join('')).join('\n')}</Text>;
}

const screen = (text: string, dim = false): Screen => ({text: [[{text, style: {dim}}], [{text: 'second line'}]]});

afterEach(() => {
	cleanup();
	seen.length = 0;
});

describe('useEqualValue', () => {
	it('keeps the last value while new ones are equal to it, and takes one that differs', () => {
		const first = screen('fires in 3 s');
		const {rerender, lastFrame} = render(<Probe screen={first} />);
		rerender(<Probe screen={screen('fires in 3 s')} />);
		expect(seen[1]).toBe(first);
		const changed = screen('fires in 2 s');
		rerender(<Probe screen={changed} />);
		expect(seen[2]).toBe(changed);
		expect(lastFrame()).toBe('fires in 2 s\nsecond line');
		// A difference deep inside (a style) is a difference.
		const dimmed = screen('fires in 2 s', true);
		rerender(<Probe screen={dimmed} />);
		expect(seen[3]).toBe(dimmed);
	});
});
