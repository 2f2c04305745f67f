/** The letter the learner presses for choice `index`: a, b, c … */
export function choiceLetter(index: number): string {
	return String.fromCodePoint(97 + index);
}
