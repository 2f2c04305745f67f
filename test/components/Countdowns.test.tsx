import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {KernelReading} from '../../source/lab/events.js';
import {Countdowns, probeBar} from '../../source/ui/lab/Countdowns.js';
import {countdowns, initialLabView, reduceLabEvents} from '../../source/ui/lab/lab-view.js';
import {eventsUntil, loadEvents} from '../helpers/events.js';
import {rows} from '../helpers/ink.js';

const run = loadEvents('fast-drop');
const params = {idle: 2, intvl: 1, probes: 3};
const probing = reduceLabEvents(eventsUntil(run, e => e.type === 'firewall'));
const server = (dueIn: number, probesOut: number): KernelReading => ({
	side: 'server',
	state: 'ESTABLISHED',
	timer: 'keepalive',
	dueIn,
	probesOut,
});
const show = (view = probing, readings: KernelReading[] = [], width = 44) =>
	render(<Countdowns countdowns={countdowns(view, readings, params)} width={width} color={false} />).lastFrame();

afterEach(() => {
	cleanup();
});

describe('Countdowns', () => {
	it('waits for the lab', () => {
		expect(rows(show(initialLabView))).toEqual([
			'idle   waiting for the lab',
			'intvl  waiting for the lab',
			'probes waiting for the lab',
		]);
	});

	it('counts down to the first probe, with the RST labelled as expected', () => {
		expect(rows(show(probing, [server(1.53, 0)]))).toEqual([
			'idle   first probe in 1.53 s',
			'intvl  starts after the first probe',
			'probes [---] 0/3 RST expected in 4.53 s',
		]);
	});

	it('counts down to the next probe and fills the bar with unanswered probes', () => {
		expect(rows(show(probing, [server(0.62, 2)]))).toEqual([
			'idle   over: probing',
			'intvl  next probe in 0.62 s',
			'probes [##-] 2/3 RST expected in 1.62 s',
		]);
		expect(rows(show(probing, [server(0.3, 3)]))[1]).toBe('intvl  RST in 0.30 s');
		expect(rows(show(probing, [server(0.3, 3)]))[2]).toBe('probes [###] 3/3 RST expected in 0.30 s');
	});

	it('says a past-due timer is late instead of showing 0', () => {
		const lines = rows(show(probing, [server(0, 0)]));
		expect(lines[0]).toBe('idle   due — kernel timer running late');
		expect(lines[0]).not.toMatch(/0\.00|-\d/);
	});

	it('says when the server socket is gone', () => {
		expect(rows(show(reduceLabEvents(run)))).toEqual([
			'idle   server closed: ETIMEDOUT at 7.037 s',
			'intvl  no timer: the socket is gone',
			'probes RST at 7.036 s, expected 7.006',
		]);
	});

	it('fits 44 columns with long timers', () => {
		for (const line of rows(show(probing, [server(7199.99, 0)]))) expect(line.length).toBeLessThanOrEqual(44);
		expect(show(probing, [server(7199.99, 0)])).toContain('first probe in 1h 59m 59s');
	});
});

describe('probeBar', () => {
	it('has one cell per probe up to ten', () => {
		expect(probeBar(1, 3)).toEqual({filled: '#', empty: '--'});
		expect(probeBar(0, 9)).toEqual({filled: '', empty: '---------'});
		expect(probeBar(64, 127)).toEqual({filled: '######', empty: '----'});
		expect(probeBar(127, 127)).toEqual({filled: '##########', empty: ''});
	});
});
