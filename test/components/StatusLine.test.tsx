import {cleanup} from 'ink-testing-library';
import stringWidth from 'string-width';
import {afterEach, describe, expect, it} from 'vitest';
import {initialLabView, reduceLabEvents} from '../../source/ui/lab/lab-view.js';
import {StatusLine} from '../../source/ui/lab/StatusLine.js';
import {statusLines} from '../../source/ui/lab/status-lines.js';
import {en} from '../../source/ui/messages/messages.js';
import type {FirewallEvent} from '../../source/lab/shared/events.js';
import {eventsUntil, findEvent, loadEvents} from '../helpers/events.js';
import {columns, renderThemed, rows} from '../helpers/ink.js';

/** Recorded from the real lab (test/fixtures/events/README.md). */
const run = loadEvents('fast-drop');
/** The drop rule a recording ran, as its firewall event says (the port is that run's client's). */
const dropCommand = (recording: string) =>
	findEvent(loadEvents(recording), (e): e is FirewallEvent => e.type === 'firewall' && e.action === 'drop').command;
/** The lab's agent was killed mid-run: a lab error, the lab stopped, a failed summary. */
const labError = loadEvents('lab-error');
/** The rows with their wrapping undone. */
const joined = (frame: string | undefined) => rows(frame).join(' ').replaceAll(/\s+/g, ' ');
const show = (view = initialLabView, width = 44) => renderThemed(<StatusLine lines={statusLines(view, width, en)} width={width} />).lastFrame();

afterEach(() => {
	cleanup();
});

describe('StatusLine', () => {
	it('says the lab is starting', () => {
		expect(show()).toBe('lab starting…');
	});

	it('shows the sandbox, firewall tool, port, keepalive read back and sockets', () => {
		// By the sockopt event the kernel has reported both sockets.
		const view = reduceLabEvents(eventsUntil(run, e => e.type === 'sockopt'));
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

	it.each([
		['iptables', 'fast-drop', /^iptables -A INPUT -p tcp --sport \d+ -j DROP$/],
		['nft', 'fast-drop-nft', /^nft add rule inet ka input tcp sport \d+ counter drop$/],
	])('shows the exact drop command (%s) while the drop is on, wrapped to fit', (_tool, recording, form) => {
		const expected = dropCommand(recording);
		expect(expected).toMatch(form);
		const view = reduceLabEvents(eventsUntil(loadEvents(recording), e => e.type === 'firewall'));
		const lines = rows(show(view));
		for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(44);
		const drop = lines.filter(line => line.startsWith('drop: ') || line.startsWith('      ')).map(line => line.slice(6).trim());
		expect(drop.join(' ')).toBe(expected);
		expect(show(view, 100)).toContain(`drop: ${expected}`);
	});

	it('hides the command once the drop is off', () => {
		const view = reduceLabEvents([
			...eventsUntil(run, e => e.type === 'firewall'),
			{t: 3, type: 'firewall', action: 'allow', command: 'iptables -D INPUT -p tcp --sport 40526 -j DROP', dropped: 0},
		]);
		expect(show(view)).not.toContain('drop:');
	});

	it('shows the socket errors and the summary', () => {
		const frame = show(reduceLabEvents(run));
		// The recording ends with the summary, before the lab's stopped event.
		expect(rows(frame)[0]).toBe('lab userns  iptables  port 6699');
		expect(frame).toContain('server ETIMEDOUT 7.119 s');
		expect(frame).toContain('client ECONNRESET 7.120 s');
		expect(frame).toContain('summary: ok');
	});

	it('shows that the lab stopped, and a failed summary with its reason', () => {
		const frame = show(reduceLabEvents(labError));
		expect(rows(frame)[0]).toBe('lab netns  nft  port 6699  stopped');
		expect(joined(frame)).toContain('summary: failed, the lab ended unexpectedly (SIGKILL):');
		expect(show(reduceLabEvents(labError), 100)).toContain('summary: failed, the lab ended unexpectedly (SIGKILL):');
		for (const line of rows(frame)) expect(columns(line)).toBeLessThanOrEqual(44);
	});

	it('shows lab errors as they come', () => {
		// Up to the lab error: the lab has not reported that it stopped yet.
		const frame = show(reduceLabEvents(eventsUntil(labError, e => e.type === 'lab' && e.event === 'error')));
		expect(rows(frame)[0]).toBe('lab netns  nft  port 6699');
		expect(joined(frame)).toContain('error: the lab ended unexpectedly (SIGKILL):');
		expect(show(reduceLabEvents(labError), 100)).toContain('lab error: the lab ended unexpectedly (SIGKILL):');
		for (const line of rows(frame)) expect(columns(line)).toBeLessThanOrEqual(44);
	});

	it('wraps a message by terminal columns: a CJK character takes two', () => {
		const ready = reduceLabEvents(eventsUntil(run, e => e.type === 'sockopt'));
		const message = '无法 创建 网络 命名空间 权限 不够 请用 root 运行';
		const view = reduceLabEvents([{t: 1, type: 'lab', event: 'error', message}], ready);
		const lines = rows(show(view));
		for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(44);
		const error = lines.filter(line => line.startsWith('error: ') || line.startsWith('       '));
		// Broken at spaces or between two CJK characters: nothing lost, only the breaks are new.
		expect(error.map(line => line.slice(7).trimEnd()).join('').replaceAll(' ', '')).toBe(message.replaceAll(' ', ''));
		expect(error.length).toBeGreaterThan(1);
	});

	it('keeps to maxRows', () => {
		const {lastFrame} = renderThemed(<StatusLine lines={statusLines(reduceLabEvents(run), 44, en)} width={44} maxRows={2} />);
		expect(rows(lastFrame())).toHaveLength(2);
	});
});
