import {Text} from 'ink';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {KernelReading, LabEvent} from '../../source/lab/events.js';
import type {Lab} from '../../source/lab/lab-types.js';
import {useLab} from '../../source/ui/use-lab.js';
import {loadEvents} from '../helpers/events.js';
import {waitFor} from '../helpers/wait-for.js';

const run = loadEvents('fast-drop');
const ready = run[0]!;
const stopped = run.at(-1)!;

/** A test double of the Lab interface: events pushed by hand, readKernel counted and optionally held. */
function fakeLab(readings: KernelReading[] = [{side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 1.5, probesOut: 0}]) {
	const listeners = new Set<(event: LabEvent) => void>();
	const history: LabEvent[] = [];
	const state = {reads: 0, inFlight: 0, maxInFlight: 0, unsubscribed: 0, hold: false};
	let release: (() => void) | undefined;
	const lab: Lab = {
		async start() {},
		subscribe(listener) {
			// Like the real lab: a late subscriber first gets what already happened.
			for (const event of history) listener(event);
			listeners.add(listener);
			return () => {
				state.unsubscribed++;
				listeners.delete(listener);
			};
		},
		async readKernel() {
			state.reads++;
			state.inFlight++;
			state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
			if (state.hold) await new Promise<void>(resolve => (release = resolve));
			state.inFlight--;
			return readings;
		},
		async setDrop() {},
		async stop() {},
	};
	return {
		lab,
		state,
		listeners,
		emit(...events: LabEvent[]) {
			for (const event of events) {
				history.push(event);
				for (const listener of listeners) listener(event);
			}
		},
		release() {
			state.hold = false;
			release?.();
		},
	};
}

function Probe({lab, onEvent}: {lab: Lab | null; onEvent?: (event: LabEvent) => void}) {
	const {view, readings} = useLab(lab, onEvent);
	const read = readings.map(r => `${r.side}:${r.dueIn}`).join(',') || 'none';
	return (
		<Text>
			{`ready=${view.ready} stopped=${view.stopped} packets=${view.packets.length} sent=${view.counters.probesSent} readings=${read}`}
		</Text>
	);
}

/** Waiting a while is the only way to see that something does NOT happen; kept to a few poll periods. */
const aFewPolls = () => new Promise(resolve => setTimeout(resolve, 350));

afterEach(() => {
	cleanup();
});

describe('useLab', () => {
	it('reduces the events it receives and hands each to onEvent', async () => {
		const fake = fakeLab();
		const seen: LabEvent[] = [];
		const {lastFrame} = render(<Probe lab={fake.lab} onEvent={event => seen.push(event)} />);
		await waitFor(() => expect(fake.listeners.size).toBe(1));
		fake.emit(...run.slice(0, -1));
		await waitFor(() => expect(lastFrame()).toContain('ready=true stopped=false packets=12 sent=4'));
		expect(seen).toEqual(run.slice(0, -1));
	});

	it('gets the events that came before it subscribed', async () => {
		const fake = fakeLab();
		fake.emit(...run);
		const {lastFrame} = render(<Probe lab={fake.lab} />);
		await waitFor(() => expect(lastFrame()).toContain('ready=true stopped=true packets=12 sent=4'));
	});

	it('reads the kernel while the lab runs, and stops once it stopped', async () => {
		const fake = fakeLab();
		const {lastFrame} = render(<Probe lab={fake.lab} />);
		await waitFor(() => expect(fake.listeners.size).toBe(1));
		expect(fake.state.reads).toBe(0); // not before the lab is ready
		fake.emit(ready);
		await waitFor(() => expect(lastFrame()).toContain('readings=server:1.5'));
		await waitFor(() => expect(fake.state.reads).toBeGreaterThanOrEqual(3), {timeoutMs: 1000});
		expect(fake.state.maxInFlight).toBe(1);

		fake.emit(stopped);
		await waitFor(() => expect(lastFrame()).toContain('stopped=true'));
		await new Promise(resolve => setTimeout(resolve, 20)); // let React run the effect cleanup
		const reads = fake.state.reads;
		await aFewPolls();
		expect(fake.state.reads).toBe(reads);
	});

	it('never starts a read while one is still running', async () => {
		const fake = fakeLab();
		fake.state.hold = true;
		render(<Probe lab={fake.lab} />);
		fake.emit(ready);
		await waitFor(() => expect(fake.state.reads).toBe(1));
		await aFewPolls();
		expect(fake.state.reads).toBe(1);
		fake.release();
		await waitFor(() => expect(fake.state.reads).toBeGreaterThanOrEqual(2));
		expect(fake.state.maxInFlight).toBe(1);
	});

	it('unsubscribes and stops polling when unmounted', async () => {
		const fake = fakeLab();
		const {unmount} = render(<Probe lab={fake.lab} />);
		fake.emit(ready);
		await waitFor(() => expect(fake.state.reads).toBeGreaterThanOrEqual(1));
		unmount();
		expect(fake.listeners.size).toBe(0);
		expect(fake.state.unsubscribed).toBe(1);
		const reads = fake.state.reads;
		await aFewPolls();
		expect(fake.state.reads).toBe(reads);
	});

	it('starts over for a new lab and ignores the old one', async () => {
		const first = fakeLab();
		const second = fakeLab([{side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 0.7, probesOut: 1}]);
		const {lastFrame, rerender} = render(<Probe lab={first.lab} />);
		first.emit(...run.slice(0, 12));
		await waitFor(() => expect(lastFrame()).toMatch(/ready=true .*packets=5 .*readings=server:1\.5/));

		rerender(<Probe lab={second.lab} />);
		await waitFor(() => expect(lastFrame()).toBe('ready=false stopped=false packets=0 sent=0 readings=none'));
		expect(first.listeners.size).toBe(0);
		first.emit(...run.slice(12));
		second.emit(ready);
		await waitFor(() => expect(lastFrame()).toBe('ready=true stopped=false packets=0 sent=0 readings=server:0.7'));
		const firstReads = first.state.reads;
		await aFewPolls();
		expect(first.state.reads).toBe(firstReads);
	});

	it('does nothing without a lab', async () => {
		const {lastFrame} = render(<Probe lab={null} />);
		await waitFor(() => expect(lastFrame()).toBe('ready=false stopped=false packets=0 sent=0 readings=none'));
	});
});
