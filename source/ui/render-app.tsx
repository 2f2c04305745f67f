import {type Instance, render} from 'ink';
import {App, type AppProps} from './App.js';

/** Draws the tutorial on the real terminal; Ctrl-C is the app's own key (it stops the lab first). */
export function renderApp(props: AppProps): Instance {
	return render(<App {...props} />, {exitOnCtrlC: false, patchConsole: false});
}
