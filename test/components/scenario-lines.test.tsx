import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {foldRun, foldRunEvents, initialRun, type RunState} from '../../source/lab/model/run-state.js';
import type {LabEvent, PacketEvent} from '../../source/lab/shared/events.js';
import {columnsOf, type Segment} from '../../source/ui/lab/format.js';
import {LabPane} from '../../source/ui/lab/LabPane.js';
import {scenarioLines} from '../../source/ui/lab/scenario-status.js';
import {statusLines} from '../../source/ui/lab/status-lines.js';
import {en, messagesFor, type Messages} from '../../source/ui/messages/messages.js';
import {loadEvents} from '../helpers/events.js';
import {renderThemed, rows} from '../helpers/ink.js';

/*
 * The status rows the scenarios add (NAT router, applications, frozen client, retransmissions),
 * from runs recorded from the real lab (test/fixtures/events/README.md) and, for what those
 * runs never did, from short hand-made event sequences folded the same way.
 */

const zh = messagesFor('zh');
const text = (lines: Segment[][]) => lines.map(line => line.map(segment => segment.text).join(''));

/** The rows' texts, after checking that each fits the width. */
function fitted(lines: Segment[][], width: number): string[] {
	const texts = text(lines);
	for (const row of texts) expect(columnsOf(row), row).toBeLessThanOrEqual(width);
	return texts;
}

const scenarioRows = (view: RunState, width: number, m: Messages = en) => fitted(scenarioLines(view, width, m), width);
const statusRows = (view: RunState, width: number, m: Messages = en) => fitted(statusLines(view, width, m), width);
/** The one segment with this text, to look at its style. */
const segment = (view: RunState, width: number, wanted: string) => statusLines(view, width, en).flat().find(s => s.text === wanted);

/** A recording's runs, split at each ready (the NAT lesson restarts the lab with the server's keepalive on). */
function runsOf(name: string): LabEvent[][] {
	const events = loadEvents(name);
	const starts = events.flatMap((event, index) => (event.type === 'lab' && event.event === 'ready' ? [index] : []));
	return starts.map((start, index) => events.slice(start, starts[index + 1]));
}

const until = (events: readonly LabEvent[], match: (event: LabEvent) => boolean) => foldRunEvents(events.slice(0, events.findIndex(match) + 1));

const [natLost, natKept] = runsOf('lesson-nat') as [LabEvent[], LabEvent[]];
const frozen = loadEvents('lesson-frozen');
const busy = loadEvents('lesson-busy');

afterEach(() => {
	cleanup();
});

describe('the article\'s run (drop) gets no scenario rows', () => {
	it.each(['fast-drop', 'fast-drop-nft', 'lab-error', 'model-lt'])('none after any event of %s, at any width', recording => {
		let view = initialRun;
		for (const event of loadEvents(recording)) {
			view = foldRun(view, event);
			for (const width of [30, 39, 60]) expect(scenarioLines(view, width, en)).toEqual([]);
		}
	});

	it('so its status rows are as before, in English and Chinese', () => {
		const view = foldRunEvents(loadEvents('fast-drop'));
		expect(statusRows(view, 39)).toEqual([
			'lab userns  iptables  port 6699',
			'keepalive  idle 2 s  intvl 1 s',
			'probes 3',
			'server ETIMEDOUT 7.119 s',
			'client ECONNRESET 7.120 s',
			'drop: iptables -A INPUT -p tcp --sport',
			'      41556 -j DROP',
			'summary: ok',
		]);
		expect(statusRows(view, 60)).toEqual([
			'lab userns  iptables  port 6699',
			'server keepalive read back:  idle 2 s  intvl 1 s  probes 3',
			'(setKeepAlive alone: intvl 1 s, probes 10)',
			'server ETIMEDOUT 7.119 s  client ECONNRESET 7.120 s',
			'drop: iptables -A INPUT -p tcp --sport 41556 -j DROP',
			'summary: ok',
		]);
		expect(statusRows(view, 39, zh)).toEqual([
			'实验 userns  iptables  端口 6699',
			'keepalive  idle 2 秒  intvl 1 秒',
			'probes 3',
			'服务器 ETIMEDOUT 7.119 秒',
			'客户端 ECONNRESET 7.120 秒',
			'丢包：iptables -A INPUT -p tcp --sport',
			'      41556 -j DROP',
			'总结：正常',
		]);
	});
});

describe('the NAT router (recorded lesson 8)', () => {
	it('counts the entry down while the connection idles', () => {
		const view = until(natLost, event => event.type === 'conntrack' && event.timeout === 4);
		expect(scenarioRows(view, 39)).toEqual(['router: ESTABLISHED, 4.0 s left', 'INVALID dropped 0']);
		expect(scenarioRows(view, 60)).toEqual(['router: ESTABLISHED, 4.0 s left  INVALID dropped 0']);
		expect(scenarioRows(view, 39, zh)).toEqual(['路由器：ESTABLISHED，还剩 4.0 秒', 'INVALID 丢弃 0']);
		expect(segment(view, 39, 'INVALID dropped 0')?.color).toBeUndefined();
	});

	it('without keepalive: the entry gone, the line dying there as INVALID, nothing out towards the server', () => {
		const view = foldRunEvents(natLost);
		expect(scenarioRows(view, 39)).toEqual(['router entry gone at 6.046 s', 'INVALID dropped 6', 'client data into router 6, out 0', 'client wrote "still there?" 7.311 s']);
		expect(scenarioRows(view, 60)).toEqual(['router entry gone at 6.046 s  INVALID dropped 6', 'client data into router 6, out 0', 'client wrote "still there?" 7.311 s']);
		expect(scenarioRows(view, 39, zh)).toEqual(['路由器条目 6.046 秒消失  INVALID 丢弃 6', '客户端数据进入路由器 6，离开 0', '客户端写出 "still there?" 7.311 秒']);
		expect(scenarioRows(view, 60, zh)).toEqual(['路由器条目 6.046 秒消失  INVALID 丢弃 6', '客户端数据进入路由器 6，离开 0', '客户端写出 "still there?" 7.311 秒']);
		expect(segment(view, 39, 'router entry gone at 6.046 s')).toMatchObject({color: 'red', bold: true});
		expect(segment(view, 39, 'INVALID dropped 6')).toMatchObject({color: 'red', bold: true});
	});

	it('with keepalive: the probes keep the entry, the line crosses and the server reads it', () => {
		expect(scenarioRows(foldRunEvents(natKept), 39)).toEqual([
			'router: ESTABLISHED, 4.0 s left',
			'INVALID dropped 0',
			'client data into router 1, out 1',
			'server read "still there?" 10.764 s',
			'client wrote "still there?" 10.764 s',
		]);
	});

	it('at 30 columns breaks a row too long for the pane evenly, never truncated, and cuts the quoted line to fit', () => {
		expect(scenarioRows(foldRunEvents(natKept), 30)).toEqual([
			'router: ESTABLISHED,',
			'4.0 s left',
			'INVALID dropped 0',
			'client data into',
			'router 1, out 1',
			'server read "still …" 10.764 s',
			'client wrote "still…" 10.764 s',
		]);
		expect(scenarioRows(foldRunEvents(natLost), 30, zh)).toEqual(['路由器条目 6.046 秒消失', 'INVALID 丢弃 6', '客户端数据进入路由器 6，离开 0', '客户端写出 "still t…" 7.311 秒']);
	});

	it('shows no entry yet, dim, before the router has seen the connection', () => {
		const view = until(natLost, event => event.type === 'conntrack');
		expect(scenarioRows(view, 39)).toEqual(['router: no entry yet  INVALID dropped 0']);
		expect(segment(view, 39, 'router: no entry yet')).toMatchObject({dim: true});
	});
});

describe('the frozen client (recorded lesson 11)', () => {
	it('stopped, in yellow, with the request the server wrote meanwhile', () => {
		const view = until(frozen, event => event.type === 'app' && event.side === 'server');
		// Its kernel had answered one probe by the time the server wrote.
		expect(scenarioRows(view, 39)).toEqual(['client stopped (SIGSTOP) 2.915 s', 'its kernel answered 1 probe', 'server wrote "GET /status" 5.055 s']);
		expect(scenarioRows(view, 39, zh)).toEqual(['客户端暂停（SIGSTOP）2.915 秒', '其内核应答了 1 个探测', '服务器写出 "GET /status" 5.055 秒']);
		expect(segment(view, 39, 'client stopped (SIGSTOP) 2.915 s')).toMatchObject({color: 'yellow', bold: true});
	});

	it('resumed: what its kernel answered meanwhile, then what each side wrote and read', () => {
		const view = foldRunEvents(frozen);
		expect(scenarioRows(view, 39)).toEqual([
			'client running again 7.164 s',
			'its kernel answered 2 probes',
			'server wrote "GET /status" 5.055 s',
			'server read "re: GET /status" 7.166 s',
			'client wrote "re: GET /status" 7.165 s',
			'client read "GET /status" 7.165 s',
		]);
		expect(scenarioRows(view, 60)[0]).toBe('client running again 7.164 s  its kernel answered 2 probes');
		expect(scenarioRows(view, 60, zh)).toEqual([
			'客户端恢复运行 7.164 秒  其内核应答了 2 个探测',
			'服务器写出 "GET /status" 5.055 秒',
			'服务器读到 "re: GET /status" 7.166 秒',
			'客户端写出 "re: GET /status" 7.165 秒',
			'客户端读到 "GET /status" 7.165 秒',
		]);
	});
});

describe('the retransmissions (recorded lesson 9)', () => {
	it('the kernel\'s count, rto, backoff and unacked, and the capture\'s count where it differs', () => {
		const view = foldRunEvents(busy);
		expect(scenarioRows(view, 39)).toEqual([
			'server retransmits 5  rto 6.5 s',
			'backoff 5  unacked 1  (6 on the wire)',
			'server wrote "are you there?" 3.644 s',
			'client read "are you there?" 3.646 s',
		]);
		expect(scenarioRows(view, 60)).toEqual([
			'server retransmits 5  rto 6.5 s  backoff 5  unacked 1',
			'(6 on the wire)',
			'server wrote "are you there?" 3.644 s',
			'client read "are you there?" 3.646 s',
		]);
		expect(scenarioRows(view, 39, zh)).toEqual([
			'服务器重传 5 次  rto 6.5 秒  backoff 5',
			'未确认 1 个  （线上 6 个）',
			'服务器写出 "are you there?" 3.644 秒',
			'客户端读到 "are you there?" 3.646 秒',
		]);
	});

	it('come after the sockets and before the drop command', () => {
		const lines = statusRows(foldRunEvents(busy), 39);
		const sockets = lines.indexOf('client ESTABLISHED');
		expect(lines[sockets + 1]).toBe('server retransmits 5  rto 6.5 s');
		expect(lines.findIndex(line => line.startsWith('drop: '))).toBe(sockets + 5);
	});
});

describe('what the recordings never did', () => {
	const packet = (t: number, kind: PacketEvent['kind'], len: number): PacketEvent => ({t, type: 'packet', from: 'server', kind, flags: ['PSH', 'ACK'], seq: 0, ack: 0, relSeq: 1, relAck: 1, len});
	const ready: LabEvent = {t: 0, type: 'lab', event: 'ready', sandbox: 'netns', port: 6699, firewall: 'iptables'};

	it('a failed write in red, and a long line with line ends on one row, cut to fit', () => {
		const view = foldRunEvents([
			ready,
			{t: 1.5, type: 'app', side: 'server', event: 'sent', bytes: 40, text: 'a very long line\nthat goes on and on and on\n'},
			{t: 4.3, type: 'app', side: 'server', event: 'error', bytes: 0, code: 'EPIPE'},
		]);
		expect(scenarioRows(view, 39)).toEqual(['server wrote "a very long lin…" 1.500 s', 'server write failed: EPIPE']);
		expect(scenarioRows(view, 60)[0]).toBe('server wrote "a very long line that goes on and on…" 1.500 s');
		expect(scenarioRows(view, 100)).toEqual(['server wrote "a very long line that goes on and on and on" 1.500 s  server write failed: EPIPE']);
		expect(segment(view, 39, 'server write failed: EPIPE')).toMatchObject({color: 'red', bold: true});
	});

	it('the capture\'s count alone, naming the server, once the kernel\'s reading has none (the socket gone)', () => {
		const view = foldRunEvents([
			ready,
			packet(0.1, 'data', 12),
			packet(0.3, 'retransmission', 12),
			packet(0.7, 'retransmission', 12),
			{t: 0.8, type: 'kernel', side: 'server', state: 'gone', timer: 'none', dueIn: 0, probesOut: 0},
		]);
		expect(scenarioRows(view, 39)).toEqual(['server: 2 retransmissions on the wire']);
		expect(scenarioRows(view, 39, zh)).toEqual(['服务器：线上重传 2 个']);
	});

	it('no capture count beside the kernel\'s when they agree; fields the kernel left out are left out', () => {
		const view = foldRunEvents([
			ready,
			packet(0.1, 'data', 12),
			packet(0.3, 'retransmission', 12),
			{t: 0.31, type: 'kernel', side: 'server', state: 'ESTABLISHED', timer: 'retransmit', dueIn: 0.4, probesOut: 0, retransmits: 1},
		]);
		expect(scenarioRows(view, 39)).toEqual(['server retransmits 1']);
	});
});

describe('the lab pane with a NAT run', () => {
	it.each([
		['English', en, ['router entry gone at 6.046 s', 'INVALID dropped 6', 'client data into router 6, out 0']],
		['Chinese', zh, ['路由器条目 6.046 秒消失  INVALID 丢弃 6', '客户端数据进入路由器 6，离开 0']],
	] as const)('fits 39 × 22 in %s, the router\'s rows in it', (_language, messages, shown) => {
		const frame = renderThemed(<LabPane view={foldRunEvents(natLost)} params={{idle: 3, intvl: 3, probes: 3}} width={39} height={22} />, false, messages).lastFrame();
		const lines = rows(frame);
		expect(lines.length).toBeLessThanOrEqual(22);
		for (const line of lines) expect(columnsOf(line), line).toBeLessThanOrEqual(39);
		for (const row of shown) expect(lines.map(line => line.trimEnd())).toContain(row);
	});

	it('fits 39 × 22 after each of the recorded NAT lesson\'s router and application events', () => {
		let view = initialRun;
		// Both runs in one fold: the second ready starts over, as in the lab store.
		for (const event of [...natLost, ...natKept]) {
			view = foldRun(view, event);
			if (event.type !== 'conntrack' && event.type !== 'invalid' && event.type !== 'app') continue;
			const frame = renderThemed(<LabPane view={view} params={{idle: 3, intvl: 3, probes: 3}} width={39} height={22} />).lastFrame();
			const lines = rows(frame);
			expect(lines.length).toBeLessThanOrEqual(22);
			for (const line of lines) expect(columnsOf(line), line).toBeLessThanOrEqual(39);
			cleanup();
		}
	});
});

describe('every recorded scenario run fits, at every event', () => {
	it.each(['lesson-nat', 'lesson-frozen', 'lesson-busy', 'lesson-user-timeout', 'lesson-late-timers'])('%s at 30 and 39 columns, in English and Chinese', recording => {
		let view = initialRun;
		for (const event of loadEvents(recording)) {
			view = foldRun(view, event);
			for (const m of [en, zh]) for (const width of [30, 39]) statusRows(view, width, m);
		}
	});
});
