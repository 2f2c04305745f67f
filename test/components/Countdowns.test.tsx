import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {KernelReading} from '../../source/lab/shared/events.js';
import {Countdowns, probeBar} from '../../source/ui/lab/Countdowns.js';
import {countdowns} from '../../source/ui/lab/countdown-model.js';
import {initialLabView, reduceLabEvents} from '../../source/ui/lab/lab-view.js';
import {afterReading, eventsUntil, loadEvents} from '../helpers/events.js';
import {renderThemed, rows} from '../helpers/ink.js';

/** Recorded from the real lab (test/fixtures/events/README.md). */
const run = loadEvents('fast-drop');
const params = {idle: 2, intvl: 1, probes: 3};
/** Before the first probe: the kernel has reported the server's socket. */
const idle = reduceLabEvents(eventsUntil(run, e => e.type === 'kernel' && e.side === 'server'));
/** One probe answered, then the drop went in. */
const probing = reduceLabEvents(eventsUntil(run, e => e.type === 'firewall'));
const server = (dueIn: number, probesOut: number): KernelReading => ({
	side: 'server',
	state: 'ESTABLISHED',
	timer: 'keepalive',
	dueIn,
	probesOut,
});
/** The countdowns of `view`, with the kernel's newest reading `reading` if given. */
const show = (view = probing, reading?: KernelReading, width = 44) =>
	renderThemed(<Countdowns countdowns={countdowns(reading ? afterReading(view, reading) : view, params)} width={width} />).lastFrame();

afterEach(() => {
	cleanup();
});

describe('Countdowns', () => {
	it('waits for the lab', () => {
		expect(rows(show(initialLabView))).toEqual([
			'timer  waiting for the lab',
			'next   waiting for the lab',
			'probes waiting for the lab',
		]);
	});

	it('counts down to the first probe from the recorded reading, with no RST in prospect yet', () => {
		// The kernel's first reading of the server: dueIn 1.996 s.
		expect(rows(show(idle))).toEqual([
			'timer  keepalive, fires in 1.9 s',
			'next   first probe in 1.9 s (idle)',
			'probes [---] 0/3 none unanswered',
		]);
		expect(rows(show(idle, server(1.53, 0)))[1]).toBe('next   first probe in 1.5 s (idle)');
	});

	it('counts down to the next probe once the drop is on, with the RST labelled as expected', () => {
		expect(rows(show(probing, server(1.53, 0)))).toEqual([
			'timer  keepalive, fires in 1.5 s',
			'next   next probe in 1.5 s (intvl)',
			'probes [---] 0/3 RST expected in 4.5 s',
		]);
	});

	it('counts down to the next probe and fills the bar with unanswered probes', () => {
		expect(rows(show(probing, server(0.62, 2)))).toEqual([
			'timer  keepalive, fires in 0.6 s',
			'next   next probe in 0.6 s (intvl)',
			'probes [##-] 2/3 RST expected in 1.6 s',
		]);
		expect(rows(show(probing, server(0.32, 3)))[1]).toBe('next   RST in 0.3 s');
		expect(rows(show(probing, server(0.32, 3)))[2]).toBe('probes [###] 3/3 RST expected in 0.3 s');
	});

	it('shows whole seconds from 10 s, and minutes from 100 s', () => {
		expect(rows(show(probing, server(54.93, 0)))[0]).toBe('timer  keepalive, fires in 54 s');
		expect(rows(show(probing, server(9.94, 1)))[1]).toBe('next   next probe in 9.9 s (intvl)');
		expect(rows(show(probing, server(10.7, 1)))[1]).toBe('next   next probe in 10 s (intvl)');
		expect(rows(show(probing, server(114.2, 0)))[1]).toBe('next   next probe in 1m 54s (intvl)');
	});

	it('says a past-due timer is late instead of showing 0', () => {
		const lines = rows(show(probing, server(0, 0)));
		expect(lines[1]).toBe('next   due — kernel timer running late');
		expect(lines[1]).not.toMatch(/0\.0|-\d/);
	});

	it('says when the server socket is gone', () => {
		expect(rows(show(reduceLabEvents(run)))).toEqual([
			'timer  none: the socket is gone',
			'next   closed by ETIMEDOUT at 7.119 s',
			'probes RST at 7.114 s, expected 7.026',
		]);
	});

	it('fits 44 columns with long timers', () => {
		for (const line of rows(show(idle, server(7199.99, 0)))) expect(line.length).toBeLessThanOrEqual(44);
		expect(show(idle, server(7199.99, 0))).toContain('first probe in 1h 59m 59s');
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
