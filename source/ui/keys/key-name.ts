import type {Key} from 'ink';

/** The fields of Ink's Key that name a key. */
export type KeyPress = Partial<Pick<Key, 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'return' | 'escape' | 'ctrl' | 'meta'>>;

const named: Array<[keyof KeyPress, string]> = [
	['upArrow', 'up'],
	['downArrow', 'down'],
	['leftArrow', 'left'],
	['rightArrow', 'right'],
	['pageUp', 'pageup'],
	['pageDown', 'pagedown'],
	['return', 'return'],
	// Before meta: Ink reports Escape as meta too.
	['escape', 'escape'],
];

/**
 * One name for a key press, as the key table lists keys: `up`, `return`, `ctrl-c`, `alt-x`, or
 * the character typed (`n`, `N`, `?`, ` `). An arrow is an arrow whatever modifier is held.
 */
export function keyName(input: string, key: KeyPress): string {
	const name = named.find(([field]) => key[field]);
	if (name) return name[1];
	if (key.ctrl) return `ctrl-${input}`;
	if (key.meta) return `alt-${input}`;
	return input;
}
