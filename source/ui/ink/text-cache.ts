import stringWidth from 'string-width';

/** Texts seen in recent frames; a cache starts over when full (a ticking countdown adds ten a second). */
const cacheLimit = 4000;

/** `make(key)`, remembered for as long as the cache has room. */
export function cached<V>(cache: Map<string, V>, key: string, make: (key: string) => V): V {
	let value = cache.get(key);
	if (value === undefined) {
		if (cache.size >= cacheLimit) cache.clear();
		value = make(key);
		cache.set(key, value);
	}

	return value;
}

const widths = new Map<string, number>();
/** Columns of a line of text: string-width, which tests every character against Unicode's emoji and wide ranges, once per text. */
export const widthOf = (text: string): number => cached(widths, text, stringWidth);
