import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import type {KernelReading, LabEvent} from '../../source/lab/shared/events.js';
import {foldRun, type RunState} from '../../source/lab/model/run-state.js';

const types = new Set(['lab', 'sockopt', 'sysctl', 'packet', 'kernel', 'firewall', 'socket', 'summary', 'app', 'peer', 'conntrack', 'invalid']);

/** Where recorded runs are: `lab --json` runs, and `verify --json` runs of the exercises. */
export type RecordingFolder = 'events' | 'exercise-runs';

/** The path of `test/fixtures/<folder>/<name>.ndjson`. */
export function eventsPath(name: string, folder: RecordingFolder = 'events'): string {
	return fileURLToPath(new URL(`../fixtures/${folder}/${name}.ndjson`, import.meta.url));
}

/**
 * A run recorded from the real lab: one LabEvent per line, as `lab --json` printed it
 * (test/fixtures/events/README.md says how each was made), or as `verify --json` printed
 * it without its verdict (test/fixtures/exercise-runs). Fails fast on a bad line.
 */
export function loadEvents(name: string, folder: RecordingFolder = 'events'): LabEvent[] {
	const path = eventsPath(name, folder);
	return readFileSync(path, 'utf8')
		.split('\n')
		.map((line, index) => ({line: line.trim(), number: index + 1}))
		.filter(({line}) => line !== '')
		.map(({line, number}) => {
			let event: unknown;
			try {
				event = JSON.parse(line);
			} catch (error) {
				throw new Error(`${path}:${number}: not JSON: ${(error as Error).message}`);
			}

			const {t, type} = (event ?? {}) as {t?: unknown; type?: unknown};
			if (typeof t !== 'number' || typeof type !== 'string' || !types.has(type)) {
				throw new Error(`${path}:${number}: not a lab event (needs a numeric t and a known type): ${line}`);
			}

			return event as LabEvent;
		});
}

/** The events up to and including the first one `match` accepts (all of them if none does). */
export function eventsUntil(events: readonly LabEvent[], match: (event: LabEvent) => boolean): LabEvent[] {
	const index = events.findIndex(match);
	return index === -1 ? [...events] : events.slice(0, index + 1);
}

/** The run after one more kernel reading, as the lab sends it when the kernel is read (at the run's newest `t`). */
export function afterReading(view: RunState, reading: KernelReading): RunState {
	return foldRun(view, {t: view.lastT ?? 0, type: 'kernel', ...reading});
}

/**
 * The first event `match` accepts; throws if none does. For tests that quote what a
 * recording itself determines (the client's port, the drop command, the RST's time), so
 * that they follow a re-recording instead of quoting its numbers.
 */
export function findEvent<T extends LabEvent>(events: readonly LabEvent[], match: (event: LabEvent) => event is T): T;
export function findEvent(events: readonly LabEvent[], match: (event: LabEvent) => boolean): LabEvent;
export function findEvent(events: readonly LabEvent[], match: (event: LabEvent) => boolean): LabEvent {
	const found = events.find(match);
	if (!found) throw new Error('no such event in the recording');
	return found;
}
