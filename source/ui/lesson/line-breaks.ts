import {columnsOf} from '../lab/format.js';

/*
 * Where a line of text may break besides its spaces. Chinese has no spaces between words,
 * so a line may break between any two CJK (double-width) characters, or between one and
 * a Latin word beside it, as the line-breaking rules of CJK typesetting (UAX #14, and
 * the Chinese rules of 禁则) allow: never before closing punctuation (，。、）」 …), which
 * would start a line, and never after opening punctuation (（「 …), which would end one.
 * Latin words stay whole: two single-width characters never break apart.
 */

/** Never at the start of a line: closing and pausing punctuation, full-width and ASCII. */
const noBreakBefore = new Set('，。、；：！？）」』》〉】〕〗｝］’”…—・%,.;:!?)]}');
/** Never at the end of a line: opening punctuation. */
const noBreakAfter = new Set('（「『《〈【〔〖｛［‘“([{');

const isWide = (char: string) => columnsOf(char) === 2;

/** Whether a line may break between `before` and `after`, two characters with no space between them. */
export function breaksBetween(before: string, after: string): boolean {
	if (noBreakBefore.has(after) || noBreakAfter.has(before)) return false;
	return isWide(before) || isWide(after);
}
