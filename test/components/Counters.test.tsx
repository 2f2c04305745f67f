import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {Counters} from '../../source/ui/lab/Counters.js';
import {initialLabView, reduceLabEvents} from '../../source/ui/lab/lab-view.js';
import {eventsUntil, loadEvents} from '../helpers/events.js';
import {anyColour, columns, renderThemed, rows, withChalkColours} from '../helpers/ink.js';

/** Recorded from the real lab (test/fixtures/events/README.md). */
const run = loadEvents('fast-drop');

afterEach(() => {
	cleanup();
});

describe('Counters', () => {
	it('starts at zero', () => {
		const {lastFrame} = renderThemed(<Counters counters={initialLabView.counters} width={44} />);
		expect(rows(lastFrame())).toEqual(['packets S→C 0  C→S 0  RST 0', 'probes sent 0  answered 0  dropped 0']);
	});

	it('counts the wire and the firewall rule in a narrow pane', () => {
		const {lastFrame} = renderThemed(<Counters counters={reduceLabEvents(run).counters} width={44} />);
		// Four Keep-Alive ACKs on the wire, one before the drop: only that one reached the server.
		expect(rows(lastFrame())).toEqual(['packets S→C 6  C→S 6  RST 1', 'probes sent 4  answered 1  dropped 3']);
	});

	it('uses whole words when there is room', () => {
		const view = reduceLabEvents(eventsUntil(run, e => e.type === 'firewall' && e.dropped === 2));
		const {lastFrame} = renderThemed(<Counters counters={view.counters} width={80} />);
		const lines = rows(lastFrame());
		expect(lines).toEqual([
			'packets server → client 4  client → server 5  RST 0',
			'probes sent 3  answered 1  client ACKs dropped 2',
		]);
		for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(80);
	});

	describe('colour', () => {
		withChalkColours();

		it('colours the counts only when colour is on', () => {
			const counters = reduceLabEvents(run).counters;
			const coloured = renderThemed(<Counters counters={counters} width={44} />, true);
			expect(coloured.lastFrame()).toMatch(anyColour);
			const plain = renderThemed(<Counters counters={counters} width={44} />);
			expect(plain.lastFrame()).not.toMatch(anyColour);
		});
	});
});
