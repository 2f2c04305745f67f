import {useEffect, useRef} from 'react';
import type {LabStore} from './lab-store/lab-store.js';
import type {Command, TutorialAction} from './tutorial-state.js';

function carryOut(command: Command, store: LabStore): Promise<void> {
	switch (command.type) {
		case 'restart-lab': {
			return store.restart();
		}

		case 'drop': {
			return store.setDrop(command.on);
		}

		case 'quit': {
			return store.stop();
		}
	}
}

/** Carries out each command the tutorial's state asks for, once, and reports it done. */
export function useCommands(commands: readonly Command[], store: LabStore, dispatch: (action: TutorialAction) => void): void {
	// Commands are numbered in order: the highest one started so far.
	const started = useRef(0);
	useEffect(() => {
		for (const command of commands) {
			if (command.id <= started.current) continue;
			started.current = command.id;
			carryOut(command, store).then(
				() => dispatch({type: 'command-done', id: command.id}),
				(error: unknown) => dispatch({type: 'command-done', id: command.id, error: error instanceof Error ? error.message : String(error)}),
			);
		}
	}, [commands, store, dispatch]);
}
