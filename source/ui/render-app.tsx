import {type Instance, render} from 'ink';
import {App, type AppProps} from './App.js';
import type {Messages} from './messages/messages.js';
import {MessagesProvider} from './messages/messages-context.js';
import {ThemeProvider} from './theme.js';

/**
 * Draws the tutorial on the real terminal, in the words of `messages`; Ctrl-C is the app's
 * own key (it stops the lab first). Colour is decided here, once, from the environment.
 */
export function renderApp(props: AppProps, messages: Messages): Instance {
	return render(
		<ThemeProvider>
			<MessagesProvider messages={messages}>
				<App {...props} />
			</MessagesProvider>
		</ThemeProvider>,
		{exitOnCtrlC: false, patchConsole: false},
	);
}
