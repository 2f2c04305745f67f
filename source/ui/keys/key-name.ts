import type {Key} from 'ink';

/** The fields of Ink's Key that name a key. */
export type KeyPress = Partial<
	Pick<Key, 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'return' | 'escape' | 'tab' | 'backspace' | 'delete' | 'shift' | 'ctrl' | 'meta'>
>;

const named: Array<[keyof KeyPress, string]> = [
	['upArrow', 'up'],
	['downArrow', 'down'],
	['leftArrow', 'left'],
	['rightArrow', 'right'],
	['pageUp', 'pageup'],
	['pageDown', 'pagedown'],
	['return', 'return'],
	// Most terminals send DEL (0x7f) for the Backspace key, which Ink names delete.
	['backspace', 'backspace'],
	['delete', 'delete'],
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
	if (key.tab) return key.shift ? 'shift-tab' : 'tab';
	if (key.ctrl) return `ctrl-${input}`;
	if (key.meta) return `alt-${input}`;
	return input;
}

/** The control characters a typed run may hold, by the name their key has alone. */
const controls: Record<string, string> = {'\t': 'tab', '\r': 'return', '\u007F': 'delete', '\b': 'backspace'};

/**
 * The keys of one input: Ink hands over a run of plain characters typed faster than it reads
 * them (or pasted) as one input, `4\t3`; each is a key of its own, named as keyName does.
 */
export function keyNames(input: string, key: KeyPress): string[] {
	const chars = [...input];
	if (chars.length <= 1 || named.some(([field]) => key[field]) || key.ctrl || key.meta) return [keyName(input, key)];
	return chars.map(char => controls[char] ?? char);
}
