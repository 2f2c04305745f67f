import {Text} from 'ink';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {KernelReading, LabEvent} from '../../source/lab/shared/events.js';
import type {Lab} from '../../source/lab/host/lab-types.js';
import type {KeepaliveParams} from '../../source/lab/shared/params.js';
import {useLab} from '../../source/ui/use-lab.js';
import {loadEvents} from '../helpers/events.js';
import {waitFor} from '../helpers/wait-for.js';

/** Recorded from the real lab (test/fixtures/events/README.md). */
const run = loadEvents('fast-drop');
const ready = run[0]!;
/** Where the first probe was answered (the drop goes in after it). */
const firstAnswer = run.findIndex(event => event.type === 'packet' && event.kind === 'keepalive-ack');
/**
 * `lab --json` ends a normal run with its summary, before the lab's `stopped` event; the
 * run whose lab died by itself has it, recorded.
 */
const stopped = loadEvents('lab-error').find(event => event.type === 'lab' && event.event === 'stopped')!;

/** A test double of the Lab interface: events pushed by hand, readKernel counted and optionally held. */
function fakeLab(initial: KernelReading[] = [{side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 1.5, probesOut: 0}]) {
	let readings = initial;
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
		/** What the next reads return. */
		setReadings(next: KernelReading[]) {
			readings = next;
		},
	};
}

/** How many times Probe rendered: a poll that changes nothing on screen must not add one. */
const renders = {count: 0};

/** Waits for three more polls of the lab and checks that none of them rendered. */
async function pollsWithoutRender(fake: ReturnType<typeof fakeLab>): Promise<void> {
	const [renderedBefore, readsBefore] = [renders.count, fake.state.reads];
	await waitFor(() => expect(fake.state.reads).toBeGreaterThanOrEqual(readsBefore + 3), {timeoutMs: 1000});
	expect(renders.count).toBe(renderedBefore);
}

/** One object for every render, as the app passes: a new one each time would restart the polling. */
const fastParams: KeepaliveParams = {idle: 2, intvl: 1, probes: 3};

function Probe({lab, onEvent, params = fastParams}: {lab: Lab | null; onEvent?: (event: LabEvent) => void; params?: KeepaliveParams}) {
	const {view, readings} = useLab(lab, params, onEvent);
	renders.count++;
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
		fake.emit(...run);
		await waitFor(() => expect(lastFrame()).toContain('ready=true stopped=false packets=12 sent=4'));
		expect(seen).toEqual(run);
	});

	it('gets the events that came before it subscribed', async () => {
		const fake = fakeLab();
		fake.emit(...run, stopped);
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

	it('re-renders for a poll that changes what the screen shows, and only then', async () => {
		const server = (dueIn: number, probesOut = 0): KernelReading => ({side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn, probesOut});
		const fake = fakeLab([server(1.53)]);
		const {lastFrame} = render(<Probe lab={fake.lab} />);
		await waitFor(() => expect(fake.listeners.size).toBe(1));
		fake.emit(ready);
		await waitFor(() => expect(lastFrame()).toContain('readings=server:1.53'));

		// The same reading again, then one that shows the same ("1.5 s"): polled, never drawn.

		await pollsWithoutRender(fake);
		fake.setReadings([server(1.51)]);
		await pollsWithoutRender(fake);
		expect(lastFrame()).toContain('readings=server:1.53');

		// The shown seconds change: the next poll draws.
		fake.setReadings([server(1.44)]);
		await waitFor(() => expect(lastFrame()).toContain('readings=server:1.44'));
		// So does a probe going out, with the same seconds.
		const rendered = renders.count;
		fake.setReadings([server(1.44, 1)]);
		await waitFor(() => expect(renders.count).toBe(rendered + 1), {timeoutMs: 1000});
		await pollsWithoutRender(fake);
	});

	it('with the run\'s params, re-renders when the countdowns drawn change, and only then', async () => {
		const server = (dueIn: number, probesOut = 1): KernelReading => ({side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn, probesOut});
		const fake = fakeLab([server(0.44)]);
		const {lastFrame} = render(<Probe lab={fake.lab} params={{idle: 2, intvl: 1, probes: 3}} />);
		await waitFor(() => expect(fake.listeners.size).toBe(1));
		fake.emit(ready);
		await waitFor(() => expect(lastFrame()).toContain('readings=server:0.44'));

		// "next probe in 0.4 s" either way: not drawn again.
		fake.setReadings([server(0.41)]);
		await pollsWithoutRender(fake);
		expect(lastFrame()).toContain('readings=server:0.44');
		// "0.0 s", then the kernel's timer late: "due — kernel timer running late".
		fake.setReadings([server(0.04)]);
		await waitFor(() => expect(lastFrame()).toContain('readings=server:0.04'));
		fake.setReadings([server(0)]);
		await waitFor(() => expect(lastFrame()).toMatch(/readings=server:0$/));
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
		first.emit(...run.slice(0, firstAnswer + 1));
		await waitFor(() => expect(lastFrame()).toMatch(/ready=true .*packets=5 sent=1 readings=server:1\.5/));

		rerender(<Probe lab={second.lab} />);
		await waitFor(() => expect(lastFrame()).toBe('ready=false stopped=false packets=0 sent=0 readings=none'));
		expect(first.listeners.size).toBe(0);
		first.emit(...run.slice(firstAnswer + 1));
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
