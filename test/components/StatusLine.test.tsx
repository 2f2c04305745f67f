import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {initialLabView, reduceLabEvents} from '../../source/ui/lab/lab-view.js';
import {StatusLine} from '../../source/ui/lab/StatusLine.js';
import {eventsUntil, loadEvents} from '../helpers/events.js';
import {columns, rows} from '../helpers/ink.js';

const run = loadEvents('fast-drop');
const command = 'iptables -A INPUT -p tcp --sport 40526 -j DROP';
const show = (view = initialLabView, width = 44) => render(<StatusLine view={view} width={width} color={false} />).lastFrame();

afterEach(() => {
	cleanup();
});

describe('StatusLine', () => {
	it('says the lab is starting', () => {
		expect(show()).toBe('lab starting…');
	});

	it('shows the sandbox, firewall tool, port, keepalive read back and sockets', () => {
		const view = reduceLabEvents(eventsUntil(run, e => e.type === 'kernel' && e.side === 'client'));
		expect(rows(show(view))).toEqual([
			'lab userns  iptables  port 6699',
			'keepalive  idle 2 s  intvl 1 s  probes 3',
			'server ESTABLISHED  client ESTABLISHED',
		]);
	});

	it("adds what Node's setKeepAlive alone left, when there is room", () => {
		const view = reduceLabEvents(eventsUntil(run, e => e.type === 'sockopt'));
		const frame = show(view, 100);
		expect(frame).toContain('server keepalive read back:  idle 2 s  intvl 1 s  probes 3');
		expect(frame).toContain('(setKeepAlive alone: intvl 1 s, probes 10)');
	});

	it('shows the exact drop command while the drop is on, wrapped to fit', () => {
		const view = reduceLabEvents(eventsUntil(run, e => e.type === 'firewall'));
		const lines = rows(show(view));
		for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(44);
		const drop = lines.filter(line => line.startsWith('drop: ') || line.startsWith('      ')).map(line => line.slice(6).trim());
		expect(drop.join(' ')).toBe(command);
		expect(show(view, 100)).toContain(`drop: ${command}`);
	});

	it('hides the command once the drop is off', () => {
		const view = reduceLabEvents([
			...eventsUntil(run, e => e.type === 'firewall'),
			{t: 3, type: 'firewall', action: 'allow', command: 'iptables -D INPUT -p tcp --sport 40526 -j DROP', dropped: 0},
		]);
		expect(show(view)).not.toContain('drop:');
	});

	it('shows the socket errors, the summary and that the lab stopped', () => {
		const frame = show(reduceLabEvents(run));
		expect(frame).toContain('lab userns  iptables  port 6699  stopped');
		expect(frame).toContain('server ETIMEDOUT 7.037 s');
		expect(frame).toContain('client ECONNRESET 7.037 s');
		expect(frame).toContain('summary: ok');
	});

	it('shows a failed summary with its reason', () => {
		const view = reduceLabEvents([
			...eventsUntil(run, e => e.type === 'kernel'),
			{
				t: 9,
				type: 'summary',
				params: {idle: 2, intvl: 1, probes: 3},
				probesSent: 0,
				probesAnswered: 0,
				dropped: 0,
				rstAt: null,
				expectedRstAt: null,
				serverError: null,
				clientError: null,
				ok: false,
				failure: 'no RST from the server',
			},
		]);
		expect(show(view)).toContain('summary: failed, no RST from the server');
	});

	it('shows lab errors as they come', () => {
		const frame = show(reduceLabEvents(loadEvents('lab-error')));
		expect(frame).toContain('lab netns  nft  port 6699  stopped');
		expect(frame).toContain('error: the packet capture stopped');
		for (const line of rows(frame)) expect(columns(line)).toBeLessThanOrEqual(44);
	});

	it('keeps to maxRows', () => {
		const {lastFrame} = render(<StatusLine view={reduceLabEvents(run)} width={44} maxRows={2} color={false} />);
		expect(rows(lastFrame())).toHaveLength(2);
	});
});
