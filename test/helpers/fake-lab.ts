import type {KernelReading, LabEvent} from '../../source/lab/shared/events.js';
import type {Lab, LabOptions} from '../../source/lab/host/lab-types.js';
import {LabStartError} from '../../source/lab/host/lab-types.js';

/**
 * A test double of one lab run that replays a recorded run (test/fixtures/events):
 * start() sends the events before the first firewall event (the lab is ready, the probes
 * are answered); setDrop(true) sends that firewall event (the rule going in, `dropped: 0`);
 * finish() sends the rest (the unanswered probes, the later firewall events with the rule's
 * growing counter, the RST, the errors, the summary). With `holdDrop`, setDrop only
 * records the call and the test sends the firewall event with drop(). Like the real lab, a late
 * subscriber first gets what already happened, and stop() ends with a `stopped` event (a
 * recorded one is left out of the replay: `lab --json` prints it only when the lab stopped by itself).
 */
export type FakeLab = {
	lab: Lab;
	options: LabOptions;
	calls: {start: number; stop: number; setDrop: boolean[]; readKernel: number};
	listeners: Set<(event: LabEvent) => void>;
	/** Sends the recorded firewall event (once). */
	drop: () => void;
	/** Sends the recorded events after the firewall event. */
	finish: () => void;
	emit: (...events: LabEvent[]) => void;
	stopped: boolean;
};

export type FakeLabFactory = {
	startLab: (options: LabOptions) => Lab;
	/** Every run made, in order. */
	runs: FakeLab[];
	/** The newest run. */
	last: () => FakeLab | undefined;
};

export type FakeLabOptions = {
	/** start() rejects with this, as the real lab does where it cannot run. */
	startError?: LabStartError;
	/** setDrop(true) does not send the firewall event by itself; drop() does. */
	holdDrop?: boolean;
};

export function fakeLabFactory(events: readonly LabEvent[], {startError, holdDrop = false}: FakeLabOptions = {}): FakeLabFactory {
	const runs: FakeLab[] = [];
	const dropAt = events.findIndex(event => event.type === 'firewall');
	const before = dropAt === -1 ? [...events] : events.slice(0, dropAt);
	const drop = dropAt === -1 ? [] : [events[dropAt]!];
	const after = dropAt === -1 ? [] : events.slice(dropAt + 1).filter(event => !(event.type === 'lab' && event.event === 'stopped'));

	const startLab = (options: LabOptions): Lab => {
		const history: LabEvent[] = [];
		const listeners = new Set<(event: LabEvent) => void>();
		let sentDrop = false;
		let finished = false;
		const emit = (...batch: LabEvent[]) => {
			for (const event of batch) {
				if (fake.stopped) return;
				history.push(event);
				for (const listener of listeners) listener(event);
			}
		};

		const lab: Lab = {
			async start() {
				fake.calls.start++;
				if (startError) throw startError;
				// The real lab resolves start() at its ready event; the rest comes as it happens.
				emit(...before.slice(0, 1));
				setTimeout(() => emit(...before.slice(1)), 5);
			},
			subscribe(listener) {
				for (const event of history) listener(event);
				listeners.add(listener);
				return () => listeners.delete(listener);
			},
			async readKernel(): Promise<KernelReading[]> {
				fake.calls.readKernel++;
				return [];
			},
			async setDrop(on) {
				fake.calls.setDrop.push(on);
				if (on && !holdDrop) setTimeout(() => fake.drop(), 5);
			},
			async stop() {
				fake.calls.stop++;
				if (fake.stopped) return;
				emit({t: history.at(-1)?.t ?? 0, type: 'lab', event: 'stopped'});
				fake.stopped = true;
			},
		};
		const fake: FakeLab = {
			lab,
			options,
			calls: {start: 0, stop: 0, setDrop: [], readKernel: 0},
			listeners,
			stopped: false,
			emit,
			drop() {
				if (sentDrop) return;
				sentDrop = true;
				emit(...drop);
			},
			finish() {
				if (finished) return;
				finished = true;
				emit(...after);
			},
		};
		runs.push(fake);
		return lab;
	};

	return {startLab, runs, last: () => runs.at(-1)};
}
