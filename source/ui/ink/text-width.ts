import stringWidth from 'string-width';

/** Widths of texts seen in recent frames; started over when full (a ticking countdown adds ten a second). */
const widths = new Map<string, number>();
const limit = 4000;

/** Columns of a line of text: string-width, which tests every character against Unicode's emoji and wide ranges, once per text. */
export function widthOf(text: string): number {
	let width = widths.get(text);
	if (width === undefined) {
		if (widths.size >= limit) widths.clear();
		width = stringWidth(text);
		widths.set(text, width);
	}

	return width;
}
