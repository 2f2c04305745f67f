import {createContext, type ReactNode, useContext, useMemo} from 'react';

/**
 * Whether the UI may use colour. Ink 6 and chalk 5 do not look at NO_COLOR (only at
 * FORCE_COLOR and whether stdout is a terminal), so the UI does it: NO_COLOR set to
 * anything but "" turns colour off (https://no-color.org). Bold and inverse stay, and
 * every highlighted row also carries a marker character.
 */
export function colorsEnabled(env: Record<string, string | undefined> = process.env): boolean {
	const noColor = env['NO_COLOR'];
	return noColor === undefined || noColor === '';
}

/** What every component draws with: whether colour is on, and how a colour is painted. */
export type Theme = {
	color: boolean;
	/** A colour name for Ink's `color` prop, or undefined when colour is off. */
	paint: (name: string | undefined) => string | undefined;
};

// No default theme: a component drawn outside the provider is a mistake, not a colour choice.
const ThemeContext = createContext<Theme | undefined>(undefined);

/** Decides colour once for the tree below it; default: on unless NO_COLOR is set. */
export function ThemeProvider({color = colorsEnabled(), children}: {color?: boolean; children: ReactNode}) {
	const theme = useMemo((): Theme => ({color, paint: name => (color ? name : undefined)}), [color]);
	return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

/** The theme of the nearest ThemeProvider. */
export function useTheme(): Theme {
	const theme = useContext(ThemeContext);
	if (!theme) throw new Error('useTheme: no ThemeProvider above this component');
	return theme;
}
