import {Text} from 'ink';
import {cleanup, render} from 'ink-testing-library';
import {useEffect} from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import type {Lab, LabOptions} from '../../source/lab/host/lab-types.js';
import type {KernelReading} from '../../source/lab/shared/events.js';
import {useLabStore} from '../../source/ui/use-lab-store.js';
import {loadEvents} from '../helpers/events.js';
import {type FakeLab, fakeLabFactory} from '../helpers/fake-lab.js';
import {waitFor} from '../helpers/wait-for.js';

/** Recorded from the real lab (test/fixtures/events/README.md). */
const ready = loadEvents('fast-drop')[0]!;
/** One object for every render, as the app passes. */
const params: LabOptions = {idle: 2, intvl: 1, probes: 3};
const server = (dueIn: number, probesOut = 0): KernelReading => ({side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn, probesOut});

/** How many times Probe rendered: a poll that changes nothing on screen must not add one. */
const renders = {count: 0};

function Probe({startLab}: {startLab: (options: LabOptions) => Lab}) {
	const {store, snapshot} = useLabStore(startLab, params);
	useEffect(() => {
		store.enterLesson({});
	}, [store]);
	renders.count++;
	const {view, status} = snapshot;
	return <Text>{`${status} ready=${view.ready} stopped=${view.stopped} server=${view.kernel.server?.dueIn ?? 'none'}/${view.kernel.server?.probesOut ?? '-'}`}</Text>;
}

/** Renders Probe on a fake lab that every poll reads `reading` from; resolves once the lab is ready and read. */
async function renderOn(reading: KernelReading) {
	const factory = fakeLabFactory([]);
	const result = render(<Probe startLab={factory.startLab} />);
	await waitFor(() => expect(factory.runs).toHaveLength(1));
	const fake = factory.last()!;
	fake.setReadings([reading]);
	fake.emit(ready);
	await waitFor(() => expect(result.lastFrame()).toContain(`server=${reading.dueIn}/${reading.probesOut}`));
	return {...result, fake};
}

/** Waits for three more polls of the lab and checks that none of them rendered. */
async function pollsWithoutRender(fake: FakeLab): Promise<void> {
	const [renderedBefore, readsBefore] = [renders.count, fake.calls.pollKernel];
	await waitFor(() => expect(fake.calls.pollKernel).toBeGreaterThanOrEqual(readsBefore + 3), {timeoutMs: 1000});
	expect(renders.count).toBe(renderedBefore);
}

afterEach(() => {
	cleanup();
});

describe('useLabStore', () => {
	it('draws the polls\' readings, and re-renders for one only when what the screen shows changes', async () => {
		const {lastFrame, fake} = await renderOn(server(1.53));
		// The same reading again, then one that shows the same ("1.5 s"): polled, never drawn.
		await pollsWithoutRender(fake);
		fake.setReadings([server(1.51)]);
		await pollsWithoutRender(fake);
		expect(lastFrame()).toContain('server=1.53/0');

		// The shown seconds change: the next poll draws.
		fake.setReadings([server(1.44)]);
		await waitFor(() => expect(lastFrame()).toContain('server=1.44/0'));
		// So does a probe going out, with the same seconds.
		fake.setReadings([server(1.44, 1)]);
		await waitFor(() => expect(lastFrame()).toContain('server=1.44/1'), {timeoutMs: 1000});
		await pollsWithoutRender(fake);
	});

	it('draws the timer going late, though its seconds showed 0.0 already', async () => {
		const {lastFrame, fake} = await renderOn(server(0.04, 1));
		fake.setReadings([server(0.01, 1)]);
		await pollsWithoutRender(fake);
		fake.setReadings([server(0, 1)]);
		await waitFor(() => expect(lastFrame()).toContain('server=0/1'));
	});

	it('stops the lab when unmounted', async () => {
		const {unmount, fake} = await renderOn(server(1.53));
		unmount();
		await waitFor(() => expect(fake.calls.stop).toBe(1));
		expect(fake.listeners.size).toBe(0);
	});
});
