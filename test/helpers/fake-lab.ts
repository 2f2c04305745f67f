import type {KernelReading, LabEvent, Side} from '../../source/lab/shared/events.js';
import type {Lab, LabOptions} from '../../source/lab/host/lab-types.js';
import {LabStartError} from '../../source/lab/host/lab-types.js';

/**
 * The one test double of a lab run. It replays a recorded run (test/fixtures/events), or
 * none (`fakeLabFactory([])`, for events sent by hand with emit()): start() sends the events
 * before the first firewall event (the lab is ready, the probes are answered); setDrop(true)
 * sends that firewall event (the rule going in, `dropped: 0`); finish() sends the rest (the
 * unanswered probes, the later firewall events with the rule's growing counter, the RST, the
 * errors, the summary). With `holdDrop`, setDrop only records the call and the test sends
 * the firewall event with drop(). Like the real lab, a late subscriber first gets what
 * already happened; pollKernel() sends its readings as `kernel` events (by default the
 * newest reading of each side sent so far: a kernel that still says what it last said);
 * and stop() ends with a `stopped` event (a recorded one is left out of the replay:
 * `lab --json` prints it only when the lab stopped by itself).
 */
export type FakeLab = {
	lab: Lab;
	options: LabOptions;
	calls: {start: number; stop: number; setDrop: boolean[]; pollKernel: number; send: Array<{side: Side; text: string}>; freeze: boolean[]};
	listeners: Set<(event: LabEvent) => void>;
	/** Sends the recorded firewall event (once). */
	drop: () => void;
	/** Sends the recorded events after the firewall event. */
	finish: () => void;
	emit: (...events: LabEvent[]) => void;
	stopped: boolean;
	/** What the next polls read, instead of the newest readings sent. */
	setReadings: (readings: KernelReading[]) => void;
	/** Polls wait until released; `inFlight` counts the ones waiting, `maxInFlight` the most at once. */
	polls: {held: boolean; inFlight: number; maxInFlight: number; release: () => void};
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

/** The newest reading of each side among these events. */
function newestReadings(events: readonly LabEvent[]): KernelReading[] {
	const bySide = new Map<string, KernelReading>();
	for (const event of events) {
		if (event.type !== 'kernel') continue;
		const {t: _t, type: _type, ...reading} = event;
		bySide.set(reading.side, reading);
	}

	return [...bySide.values()];
}

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
		let readings: KernelReading[] | undefined;
		let released: Array<() => void> = [];
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
			async pollKernel() {
				fake.calls.pollKernel++;
				const {polls} = fake;
				polls.inFlight++;
				polls.maxInFlight = Math.max(polls.maxInFlight, polls.inFlight);
				if (polls.held) await new Promise<void>(resolve => released.push(resolve));
				polls.inFlight--;
				const t = history.at(-1)?.t ?? 0;
				emit(...(readings ?? newestReadings(history)).map((reading): LabEvent => ({t, type: 'kernel', ...reading})));
			},
			async setDrop(on) {
				fake.calls.setDrop.push(on);
				if (on && !holdDrop) setTimeout(() => fake.drop(), 5);
			},
			async send(side, text) {
				fake.calls.send.push({side, text});
			},
			async freeze(on) {
				fake.calls.freeze.push(on);
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
			calls: {start: 0, stop: 0, setDrop: [], pollKernel: 0, send: [], freeze: []},
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
			setReadings(next) {
				readings = next;
			},
			polls: {
				held: false,
				inFlight: 0,
				maxInFlight: 0,
				release() {
					fake.polls.held = false;
					const waiting = released;
					released = [];
					for (const resolve of waiting) resolve();
				},
			},
		};
		runs.push(fake);
		return lab;
	};

	return {startLab, runs, last: () => runs.at(-1)};
}
