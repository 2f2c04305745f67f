/**
 * widest-line for Ink's renderer (scripts/bundle.js puts it in place of the package there):
 * the same number, with each line's width remembered. Ink measures every text on the
 * screen again in every frame, though between two frames only a countdown has changed.
 */
import {widthOf} from './text-width.js';

export default function widestLine(text: string): number {
	let widest = 0;
	for (const line of text.split('\n')) widest = Math.max(widest, widthOf(line));
	return widest;
}
