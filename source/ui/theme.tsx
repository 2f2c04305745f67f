/**
 * Whether the lab pane may use colour. Ink 6 and chalk 5 do not look at NO_COLOR
 * (only at FORCE_COLOR and whether stdout is a terminal), so the pane does it:
 * NO_COLOR set to anything but "" turns colour off (https://no-color.org).
 * Bold and inverse stay, and every highlighted row also carries a marker character.
 */
export function colorsEnabled(env: Record<string, string | undefined> = process.env): boolean {
	const noColor = env['NO_COLOR'];
	return noColor === undefined || noColor === '';
}

/** A colour name for Ink's `color` prop, or undefined when colour is off. */
export function paint(color: boolean, name: string | undefined): string | undefined {
	return color ? name : undefined;
}

/** Below this width the pane uses short labels ("S→C" instead of "server → client"). */
export const wideWidth = 60;
