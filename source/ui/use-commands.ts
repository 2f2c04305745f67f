import {useEffect, useRef} from 'react';
import {runExercise} from './exercise/run-exercise.js';
import {type LabStore, LabStoreError} from './lab-store/lab-store.js';
import type {Messages} from './messages/messages.js';
import type {Command, TutorialAction} from './tutorial-state.js';

function carryOut(command: Command, store: LabStore, dispatch: (action: TutorialAction) => void, messages: Messages): Promise<void> {
	switch (command.type) {
		case 'restart-lab': {
			return store.restart(command.serverKeepalive === undefined ? undefined : {serverKeepalive: command.serverKeepalive});
		}

		case 'drop': {
			return store.setDrop(command.on);
		}

		case 'send': {
			return store.send(command.side, command.text);
		}

		case 'freeze': {
			return store.freeze(command.on);
		}

		case 'quit': {
			return store.stop();
		}

		case 'run-exercise': {
			return runExercise(store, command.exercise, command.params, command.id, dispatch, messages);
		}
	}
}

/** What went wrong, in the tutorial's words where the store knows why (the lab's own errors come as it says them). */
function errorText(error: unknown, messages: Messages): string {
	if (error instanceof LabStoreError) return messages.app[error.reason];
	return error instanceof Error ? error.message : String(error);
}

/** Carries out each command the tutorial's state asks for, once, and reports it done. */
export function useCommands(commands: readonly Command[], store: LabStore, dispatch: (action: TutorialAction) => void, messages: Messages): void {
	// Commands are numbered in order: the highest one started so far.
	const started = useRef(0);
	useEffect(() => {
		for (const command of commands) {
			if (command.id <= started.current) continue;
			started.current = command.id;
			carryOut(command, store, dispatch, messages).then(
				() => dispatch({type: 'command-done', id: command.id}),
				(error: unknown) => dispatch({type: 'command-done', id: command.id, error: errorText(error, messages)}),
			);
		}
	}, [commands, store, dispatch, messages]);
}
