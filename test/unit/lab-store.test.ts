import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {LabStartError} from '../../source/lab/host/lab-types.js';
import type {KernelReading, LabEvent} from '../../source/lab/shared/events.js';
import {countdowns, pollDelayMs} from '../../source/ui/lab/countdown-model.js';
import {createLabStore, type LabFeed} from '../../source/ui/lab-store/lab-store.js';
import {loadEvents} from '../helpers/events.js';
import {type FakeLab, fakeLabFactory} from '../helpers/fake-lab.js';

/** Recorded from the real lab (test/fixtures/events/README.md). */
const run = loadEvents('fast-drop');
const ready = run[0]!;
const firstAck = run.find(event => event.type === 'packet' && event.kind === 'keepalive-ack')!;
const params = {idle: 2, intvl: 1, probes: 3};
const server = (dueIn: number, probesOut = 0): KernelReading => ({side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn, probesOut});
const kernel = (reading: KernelReading, t = 1): LabEvent => ({t, type: 'kernel', ...reading});
const fedEvents = (fed: LabFeed[]) => fed.flatMap(item => (item.type === 'lab-event' ? [item.event] : []));

/** A store on a fake lab that sends only what the test emits; the lab lesson entered. */
async function started(events: readonly LabEvent[] = []) {
	const factory = fakeLabFactory(events);
	const store = createLabStore(factory.startLab, params);
	const fed: LabFeed[] = [];
	store.feed(item => fed.push(item));
	store.enterLesson({});
	await vi.advanceTimersByTimeAsync(0);
	const fake = factory.last()!;
	return {factory, store, fed, fake};
}

/** The lab sends these, and every poll reads `reading`. */
async function readyWith(fake: FakeLab, reading: KernelReading) {
	fake.setReadings([reading]);
	fake.emit(ready, kernel(reading, 0.01));
	await vi.advanceTimersByTimeAsync(0);
}

beforeEach(() => {
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

describe('the lab store', () => {
	it('feeds the step engine a reset, then every event of the run in order, the polls\' readings among them', async () => {
		const {store, fed, fake} = await started(run);
		const sent: LabEvent[] = [];
		fake.lab.subscribe(event => sent.push(event));
		await vi.advanceTimersByTimeAsync(2000);
		expect(fed[0]).toEqual({type: 'lab-reset'});
		const events = fedEvents(fed);
		// What is fed is what the lab sent, up to readings that changed nothing on screen yet.
		expect(events).toEqual(sent.slice(0, events.length));
		expect(sent.slice(events.length).every(event => event.type === 'kernel')).toBe(true);
		expect(fake.calls.pollKernel).toBeGreaterThan(0);
		expect(store.getSnapshot()).toMatchObject({status: 'running', problem: null});
		expect(store.getSnapshot().view.packets).toHaveLength(5);
	});

	it('keeps the snapshot for a reading that changes nothing drawn, and feeds it with the next one that does', async () => {
		const {store, fed, fake} = await started();
		fake.polls.held = true;
		fake.emit(ready, kernel(server(1.53)));
		const shown = store.getSnapshot();
		const fedBefore = fed.length;
		// "1.5 s" either way, the same probe count: nothing to draw, nothing fed yet.
		fake.emit(kernel(server(1.51)));
		expect(store.getSnapshot()).toBe(shown);
		expect(fed).toHaveLength(fedBefore);
		// "1.4 s": drawn, and both readings reach the step engine, in order.
		fake.emit(kernel(server(1.44)));
		expect(store.getSnapshot()).not.toBe(shown);
		expect(store.getSnapshot().view.kernel.server?.dueIn).toBe(1.44);
		expect(fedEvents(fed.slice(fedBefore)).map(event => event.type === 'kernel' && event.dueIn)).toEqual([1.51, 1.44]);
	});

	it('publishes a reading that changes the probe count or the timer, even with the same seconds', async () => {
		const {store, fake} = await started();
		fake.polls.held = true;
		fake.emit(ready, kernel(server(1.44)));
		const shown = store.getSnapshot();
		fake.emit(kernel(server(1.44, 1)));
		expect(store.getSnapshot()).not.toBe(shown);
		const next = store.getSnapshot();
		fake.emit(kernel({...server(1.44, 1), side: 'client', timer: 'none'}));
		// The client's first reading is news for the facts, though the countdowns only show the server.
		expect(store.getSnapshot()).not.toBe(next);
	});

	it('reads the kernel once the lab is ready, again when the countdowns would next change', async () => {
		const {store, fake} = await started();
		expect(fake.calls.pollKernel).toBe(0);
		// 5.05 s shows "5.0 s" until 5.0: the next read is due in 50 ms (+5 past the boundary).
		await readyWith(fake, server(5.05));
		const delay = pollDelayMs(countdowns(store.getSnapshot().view, params));
		expect(delay).toBe(55);
		const reads = fake.calls.pollKernel;
		await vi.advanceTimersByTimeAsync(delay - 1);
		expect(fake.calls.pollKernel).toBe(reads);
		await vi.advanceTimersByTimeAsync(1);
		expect(fake.calls.pollKernel).toBe(reads + 1);
	});

	it('reads at once after a packet, and times the next read anew from a reading the lab sent by itself', async () => {
		const {fake} = await started();
		await readyWith(fake, server(5.05));
		const reads = fake.calls.pollKernel;
		fake.emit(firstAck);
		await vi.advanceTimersByTimeAsync(0);
		expect(fake.calls.pollKernel).toBe(reads + 1);
		// The lab's own reading says 1.53 s: the next read is due in 35 ms, not 55.
		fake.emit(kernel(server(1.53)));
		await vi.advanceTimersByTimeAsync(35);
		expect(fake.calls.pollKernel).toBe(reads + 2);
	});

	it('never starts a read while one is still running', async () => {
		const {fake} = await started();
		fake.polls.held = true;
		await readyWith(fake, server(1.53));
		await vi.advanceTimersByTimeAsync(100);
		expect(fake.calls.pollKernel).toBe(1);
		fake.emit(firstAck);
		await vi.advanceTimersByTimeAsync(3000);
		expect(fake.calls.pollKernel).toBe(1);
		// The packet that came meanwhile has the next read start as soon as this one is done.
		fake.polls.release();
		await vi.advanceTimersByTimeAsync(0);
		expect(fake.calls.pollKernel).toBe(2);
		expect(fake.polls.maxInFlight).toBe(1);
	});

	it('stops reading once the lab has stopped', async () => {
		const {fake} = await started();
		await readyWith(fake, server(1.53));
		await fake.lab.stop();
		const reads = fake.calls.pollKernel;
		await vi.advanceTimersByTimeAsync(5000);
		expect(fake.calls.pollKernel).toBe(reads);
	});

	it('starts over on restart: the old run stops and is no longer heard, the step engine gets a reset', async () => {
		const {factory, store, fed, fake: first} = await started();
		await readyWith(first, server(1.53));
		await store.restart();
		await vi.advanceTimersByTimeAsync(0);
		expect(factory.runs).toHaveLength(2);
		expect(first.calls.stop).toBe(1);
		expect(fed.filter(item => item.type === 'lab-reset')).toHaveLength(2);
		expect(store.getSnapshot().view.ready).toBe(false);
		const shown = store.getSnapshot();
		first.emit(...run);
		expect(store.getSnapshot()).toBe(shown);
		const reads = first.calls.pollKernel;
		await vi.advanceTimersByTimeAsync(5000);
		expect(first.calls.pollKernel).toBe(reads);
	});

	it('keeps one run across lab lessons, stops it for a lesson without one, and starts a fresh one on return', async () => {
		const {factory, store, fake} = await started();
		await readyWith(fake, server(1.53));
		store.enterLesson({});
		await vi.advanceTimersByTimeAsync(0);
		expect(factory.runs).toHaveLength(1);
		store.enterLesson(null);
		await vi.advanceTimersByTimeAsync(0);
		expect(fake.calls.stop).toBe(1);
		expect(store.getSnapshot()).toMatchObject({status: 'idle', view: {ready: false}});
		store.enterLesson({});
		await vi.advanceTimersByTimeAsync(0);
		expect(factory.runs).toHaveLength(2);
	});

	it('says why the lab cannot start, tries again only on restart', async () => {
		const factory = fakeLabFactory(run, {startError: new LabStartError('no namespaces here', 'sudo sysctl -w kernel.unprivileged_userns_clone=1')});
		const store = createLabStore(factory.startLab, params);
		store.enterLesson({});
		await vi.advanceTimersByTimeAsync(0);
		expect(store.getSnapshot()).toMatchObject({status: 'unavailable', problem: {message: 'no namespaces here', fix: 'sudo sysctl -w kernel.unprivileged_userns_clone=1'}});
		store.enterLesson({});
		await vi.advanceTimersByTimeAsync(0);
		expect(factory.runs).toHaveLength(1);
		await store.restart();
		expect(factory.runs).toHaveLength(2);
	});

	it('stopping for good keeps the run as it was, then shows it stopped, and starts nothing again', async () => {
		const {factory, store, fake} = await started();
		await readyWith(fake, server(1.53));
		const stopping = store.stop();
		const shown = store.getSnapshot();
		// What the dying run still sends does not change the last frames…
		fake.emit(firstAck);
		expect(store.getSnapshot()).toBe(shown);
		await stopping;
		// …but its own `stopped` event does.
		expect(fake.calls.stop).toBe(1);
		expect(store.getSnapshot().view).toMatchObject({ready: true, stopped: true, packets: []});
		store.enterLesson({});
		await store.restart();
		expect(factory.runs).toHaveLength(1);
	});

	it('drops once the run\'s client has connected', async () => {
		const {store, fake} = await started(run);
		await vi.advanceTimersByTimeAsync(10);
		await store.setDrop(true);
		expect(fake.calls.setDrop).toEqual([true]);
	});
});
