import {type Key, useInput} from 'ink';
import {useCallback, useLayoutEffect, useRef} from 'react';
import {intentFor} from './keys/key-lookup.js';
import {keyNames} from './keys/key-name.js';
import type {KeyContext} from './keys/key-table.js';
import type {TutorialStore} from './tutorial-store.js';

/**
 * The tutorial's input hook: each key becomes the intent the key table gives it, read
 * against the store's newest state (React may not have drawn the last key yet when the
 * next one comes) and the screen as last drawn.
 */
export function useTutorialInput(store: TutorialStore, screen: Omit<KeyContext, 'state'>): void {
	const drawn = useRef(screen);
	useLayoutEffect(() => {
		drawn.current = screen;
	});
	const onKey = useCallback(
		(input: string, key: Key) => {
			for (const name of keyNames(input, key)) {
				const intent = intentFor(name, {...drawn.current, state: store.getState()});
				if (intent) store.dispatch(intent);
			}
		},
		[store],
	);
	useInput(onKey);
}
