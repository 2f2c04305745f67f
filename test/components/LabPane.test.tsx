import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {FirewallEvent, KernelReading} from '../../source/lab/shared/events.js';
import {LabPane} from '../../source/ui/lab/LabPane.js';
import {initialLabView, type LabView, labView, reduceLabEvents} from '../../source/ui/lab/lab-view.js';
import {afterReading, eventsUntil, findEvent, loadEvents} from '../helpers/events.js';
import {columns, renderThemed, rows} from '../helpers/ink.js';

/** Recorded from the real lab (test/fixtures/events/README.md). */
const run = loadEvents('fast-drop');
/** The drop rule as the recording ran it (its port is the client's, whatever the recording's). */
const {command} = findEvent(run, (e): e is FirewallEvent => e.type === 'firewall' && e.action === 'drop');
const params = {idle: 2, intvl: 1, probes: 3};
const reading = (dueIn: number, probesOut: number): KernelReading => ({
	side: 'server',
	state: 'ESTABLISHED',
	timer: 'keepalive',
	dueIn,
	probesOut,
});
const show = (view: LabView, width = 44, height = 20) =>
	renderThemed(<LabPane view={view} params={params} width={width} height={height} />).lastFrame();

afterEach(() => {
	cleanup();
});

function expectFits(frame: string | undefined, width: number, height: number) {
	const lines = rows(frame);
	expect(lines.length).toBeLessThanOrEqual(height);
	for (const line of lines) expect(columns(line), line).toBeLessThanOrEqual(width);
}

describe('LabPane', () => {
	it.each(['fast-drop', 'fast-drop-nft', 'lab-error'])('fits 44 × 20 after every event of a whole run (%s)', recording => {
		let view = initialLabView;
		for (const event of loadEvents(recording)) {
			view = labView(view, event);
			expectFits(show(afterReading(view, reading(0.5, 1))), 44, 20);
		}
	});

	it('shows status, countdowns, counters and the newest packets at 44 × 20', () => {
		const view = reduceLabEvents(eventsUntil(run, e => e.type === 'kernel' && e.side === 'server' && e.probesOut === 2));
		const frame = show(afterReading(view, reading(0.62, 2)));
		expectFits(frame, 44, 20);
		const lines = rows(frame);
		expect(lines[0]).toBe('lab userns  iptables  port 6699');
		// Wrapped at the pane's width: the command's first row.
		expect(frame).toContain(`drop: ${command.replace(/ -j DROP$/, '')}`);
		expect(frame).toContain('timer  keepalive, fires in 0.6 s');
		expect(frame).toContain('next   next probe in 0.6 s (intvl)');
		expect(frame).toContain('probes [##-] 2/3 RST expected in 1.6 s');
		// The rule's counter has reported one dropped ACK so far (the second comes at 5.093 s).
		expect(frame).toContain('probes sent 3  answered 1  dropped 1');
		expect(lines.at(-1)).toMatch(/^\* 5\.066 C→S Keep-Alive ACK/);
	});

	it('ends with the errors, the summary, the RST beside its prediction and the RST row', () => {
		const frame = show(reduceLabEvents(run));
		expectFits(frame, 44, 20);
		expect(frame).toContain('server ETIMEDOUT 7.119 s');
		expect(frame).toContain('client ECONNRESET 7.120 s');
		expect(frame).toContain('summary: ok');
		expect(frame).toContain('probes RST at 7.114 s, expected 7.026');
		expect(rows(frame).at(-1)).toMatch(/^! 7\.114 S→C RST/);
	});

	it('uses a bigger terminal for headings, whole words and more packets', () => {
		const frame = show(reduceLabEvents(run), 100, 40);
		expectFits(frame, 100, 40);
		expect(frame).toContain('── kernel keepalive timer (server) ');
		expect(frame).toContain('── capture ');
		expect(frame).toContain('server → client');
		expect(frame).toContain(`drop: ${command}`);
		// Every packet of the run fits: the first SYN is still there.
		expect(frame).toMatch(/0\.002 client → server SYN/);
	});

	it('never says no packets were captured beside counters that count some (60 × 7, as stacked at 60 × 20)', () => {
		const view = reduceLabEvents(eventsUntil(run, e => e.type === 'firewall'));
		const frame = show(view, 60, 7);
		expectFits(frame, 60, 7);
		expect(frame).toContain('packets server → client 2  client → server 3');
		expect(frame).not.toContain('no packets captured yet');
		expect(frame).not.toContain('earlier');
		expect(rows(frame).at(-1)).toMatch(/^\* 2\.026 client → server Keep-Alive ACK/);
	});

	it('keeps the kernel\'s countdowns longest, then the counters, each whole or not at all', () => {
		const view = reduceLabEvents(eventsUntil(run, e => e.type === 'firewall'));
		const three = rows(show(view, 44, 3));
		expect(three).toHaveLength(3);
		expect(three[2]).toMatch(/^probes \[---\] 0\/3/);
		const five = rows(show(view, 44, 5));
		expect(five.slice(3)).toEqual(['packets S→C 2  C→S 3  RST 0', 'probes sent 1  answered 1  dropped 0']);
		const six = rows(show(view, 44, 6));
		expect(six[0]).toBe('lab userns  iptables  port 6699');
	});

	it('still shows the countdowns when squeezed', () => {
		const frame = show(reduceLabEvents(run), 44, 12);
		expectFits(frame, 44, 12);
		expect(frame).toContain('next   closed by ETIMEDOUT');
		expect(frame).toContain('probes sent 4');
		expect(rows(frame).at(-1)).toMatch(/RST/);
	});
});
