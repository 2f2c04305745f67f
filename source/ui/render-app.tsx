import {type Instance, render} from 'ink';
import {App, type AppProps} from './App.js';
import {ThemeProvider} from './theme.js';

/**
 * Draws the tutorial on the real terminal; Ctrl-C is the app's own key (it stops the lab first).
 * Colour is decided here, once, from the environment.
 */
export function renderApp(props: AppProps): Instance {
	return render(
		<ThemeProvider>
			<App {...props} />
		</ThemeProvider>,
		{exitOnCtrlC: false, patchConsole: false},
	);
}
