import {describe, expect, it} from 'vitest';
import type {KernelEvent, KernelReading, LabEvent, PacketEvent, SummaryEvent} from '../../source/lab/events.js';
import {readingsKey} from '../../source/ui/lab/countdowns.js';
import {countdowns, initialLabView, labView, maxPackets, reduceLabEvents} from '../../source/ui/lab/lab-view.js';
import {eventsUntil, loadEvents} from '../helpers/events.js';

const params = {idle: 2, intvl: 1, probes: 3};
/** Recorded from the real lab (test/fixtures/events/README.md). */
const run = loadEvents('fast-drop');
const until = (match: (event: LabEvent) => boolean) => reduceLabEvents(eventsUntil(run, match));
/** Where the drop went in: the first firewall event of the run. */
const dropAt = run.findIndex(event => event.type === 'firewall');
const server = (reading: Partial<KernelReading>): KernelReading => ({
	side: 'server',
	state: 'ESTABLISHED',
	timer: 'keepalive',
	dueIn: 1,
	probesOut: 0,
	...reading,
});

describe('labView', () => {
	it('starts empty', () => {
		expect(initialLabView.ready).toBe(false);
		expect(initialLabView.packets).toEqual([]);
		expect(initialLabView.counters.probesSent).toBe(0);
	});

	it('holds what a whole run reported', () => {
		const view = reduceLabEvents(run);
		expect(view).toMatchObject({
			ready: true,
			// `lab --json` ends with the summary: the lab's stopped event comes after it, unprinted.
			stopped: false,
			lastT: 7.104,
			sandbox: 'userns',
			firewall: 'iptables',
			port: 6699,
		});
		expect(view.sockopt.server).toMatchObject({idle: 2, intvl: 1, probes: 3, nodeDefaults: {intvl: 1, probes: 10}});
		expect(view.sockopt.client).toBeNull();
		expect(view.counters).toEqual({
			serverToClient: 6, // SYN-ACK, 4 Keep-Alives, RST
			clientToServer: 6, // SYN, ACK, 4 Keep-Alive ACKs
			probesSent: 4,
			probesAnswered: 1, // the 3 ACKs after the drop are on the wire but never reach the server
			acksDropped: 3,
			rsts: 1,
		});
		expect(view.drop).toMatchObject({on: true, command: 'iptables -A INPUT -p tcp --sport 36020 -j DROP', t: 6.101, droppedByRule: 3});
		expect(view.sockets.server).toMatchObject({state: 'error', code: 'ETIMEDOUT', t: 7.103, localPort: 6699, remotePort: 36020});
		expect(view.sockets.client).toMatchObject({state: 'error', code: 'ECONNRESET', t: 7.103, localPort: 36020});
		expect(view.kernel.server).toMatchObject({state: 'gone', t: 7.104});
		expect(view.summary).toMatchObject({ok: true, probesSent: 4, probesAnswered: 1, dropped: 3, rstAt: 7.102, expectedRstAt: 7.01});
		expect(view.packets.map(p => p.kind)).toEqual([
			'syn',
			'syn-ack',
			'ack',
			'keepalive',
			'keepalive-ack',
			'keepalive',
			'keepalive-ack',
			'keepalive',
			'keepalive-ack',
			'keepalive',
			'keepalive-ack',
			'rst',
		]);
	});

	it('agrees with the summary on the answers the server got, and on what the rule dropped', () => {
		const {counters} = reduceLabEvents(run);
		const summary = run.find((e): e is SummaryEvent => e.type === 'summary')!;
		expect({sent: counters.probesSent, answered: counters.probesAnswered, dropped: counters.acksDropped}).toEqual({
			sent: summary.probesSent,
			answered: summary.probesAnswered,
			dropped: summary.dropped,
		});
	});

	it('counts keepalive-acks as answered only while the drop is off', () => {
		// Before the drop: the one answered probe (2.010 s).
		expect(reduceLabEvents(run.slice(0, dropAt)).counters).toMatchObject({probesSent: 1, probesAnswered: 1, clientToServer: 3});
		// After it, the next ACK (4.026 s) is captured, then dropped at the server's input.
		const afterDrop = until(e => e.type === 'packet' && e.kind === 'keepalive-ack' && e.t > 4);
		expect(afterDrop.counters).toMatchObject({probesSent: 2, probesAnswered: 1, clientToServer: 4});
		// Once the rule is taken away, answers reach the server again.
		const ack = run.filter(e => e.type === 'packet' && e.kind === 'keepalive-ack').at(-1)!;
		const allowed = reduceLabEvents(
			[{t: 6, type: 'firewall', action: 'allow', command: 'iptables -D INPUT -p tcp --sport 36020 -j DROP', dropped: 3}, ack],
			afterDrop,
		);
		expect(allowed.counters.probesAnswered).toBe(2);
	});

	it('keeps the newest kernel reading of each side', () => {
		const view = until(e => e.type === 'kernel' && e.side === 'server' && e.probesOut === 2);
		expect(view.kernel.server).toEqual({
			t: 5.051,
			side: 'server',
			state: 'ESTABLISHED',
			timer: 'keepalive',
			dueIn: 1,
			probesOut: 2,
			sinceRecv: 3.04,
		});
		expect(view.kernel.client).toEqual({t: 5.051, side: 'client', state: 'ESTABLISHED', timer: 'none', dueIn: 0, probesOut: 0, sinceRecv: 5.048});
	});

	it('keeps only the newest packets but counts them all', () => {
		const packet = (i: number): PacketEvent => ({
			t: i,
			type: 'packet',
			from: 'server',
			flags: ['ACK'],
			seq: 1,
			ack: 1,
			relSeq: 0,
			relAck: 1,
			len: 0,
			kind: 'keepalive',
		});
		const view = reduceLabEvents(Array.from({length: maxPackets + 50}, (_, i) => packet(i)));
		expect(view.packets).toHaveLength(maxPackets);
		expect(view.packets[0]?.t).toBe(50);
		expect(view.packets.at(-1)?.t).toBe(maxPackets + 49);
		expect(view.counters.probesSent).toBe(maxPackets + 50);
	});

	it('adds up the counters of successive drop rules', () => {
		const command = 'nft add rule inet ka input tcp sport 40526 counter drop';
		const events: LabEvent[] = [
			{t: 1, type: 'firewall', action: 'drop', command, dropped: 0},
			{t: 2, type: 'firewall', action: 'drop', command, dropped: 2},
			{t: 3, type: 'firewall', action: 'allow', command: 'nft delete rule inet ka input handle 4', dropped: 3},
		];
		const off = reduceLabEvents(events);
		expect(off.drop).toMatchObject({on: false, command: 'nft delete rule inet ka input handle 4'});
		expect(off.counters.acksDropped).toBe(3);
		const again = reduceLabEvents(
			[
				{t: 4, type: 'firewall', action: 'drop', command, dropped: 0},
				{t: 5, type: 'firewall', action: 'drop', command, dropped: 1},
			],
			off,
		);
		expect(again.drop.on).toBe(true);
		expect(again.counters.acksDropped).toBe(4);
	});

	it('keeps a socket error when the socket then closes', () => {
		const view = reduceLabEvents(run);
		expect(view.sockets.server.state).toBe('error');
		const closed = labView(initialLabView, {t: 1, type: 'socket', side: 'client', event: 'closed'});
		expect(closed.sockets.client).toMatchObject({state: 'closed', t: 1, code: null});
	});

	it('keeps lab errors', () => {
		// Recorded: the lab's agent was killed after the first unanswered probe.
		const view = reduceLabEvents(loadEvents('lab-error'));
		expect(view.errors).toEqual([{t: 4.078, type: 'lab', event: 'error', message: 'the lab ended unexpectedly (SIGKILL): '}]);
		expect(view.stopped).toBe(true);
		expect(view).toMatchObject({sandbox: 'netns', firewall: 'nft', lastT: 4.078});
		expect(view.summary).toMatchObject({ok: false, failure: 'the lab ended unexpectedly (SIGKILL): ', rstAt: null, probesSent: 2, probesAnswered: 1});
		expect(view.counters).toMatchObject({probesSent: 2, probesAnswered: 1, acksDropped: 0, rsts: 0});
		expect(view.drop).toMatchObject({on: true, command: 'nft add rule inet ka input tcp sport 43192 counter drop'});
	});

	it('reduces a run with nft\'s drop rule the same way', () => {
		const view = reduceLabEvents(loadEvents('fast-drop-nft'));
		expect(view).toMatchObject({sandbox: 'userns', firewall: 'nft', port: 6699, stopped: false});
		expect(view.drop).toMatchObject({on: true, command: 'nft add rule inet ka input tcp sport 36034 counter drop', droppedByRule: 3});
		expect(view.counters).toEqual({serverToClient: 6, clientToServer: 6, probesSent: 4, probesAnswered: 1, acksDropped: 3, rsts: 1});
		expect(view.summary).toMatchObject({ok: true, rstAt: 7.114, expectedRstAt: 7.026});
	});

	it('starts over at a second ready (a new run)', () => {
		const view = labView(reduceLabEvents(run), {t: 0, type: 'lab', event: 'ready', sandbox: 'netns', port: 6699, firewall: 'nft'});
		expect(view).toMatchObject({ready: true, stopped: false, sandbox: 'netns', packets: [], summary: null, lastT: 0});
		expect(view.counters.probesSent).toBe(0);
	});

	it('does not change the state it was given', () => {
		const before = reduceLabEvents(eventsUntil(run, e => e.type === 'firewall'));
		const copy = structuredClone(before);
		reduceLabEvents(run.slice(dropAt + 1), before);
		expect(before).toEqual(copy);
	});
});

describe('countdowns', () => {
	it('waits for the lab, then for the kernel', () => {
		expect(countdowns(initialLabView, [], params).idle).toEqual({status: 'waiting', seconds: null, text: 'waiting for the lab'});
		const ready = until(e => e.type === 'lab');
		const result = countdowns(ready, [], params);
		expect(result.idle.text).toBe('waiting for the kernel');
		expect(result.probes).toMatchObject({status: 'waiting', used: null, limit: 3, expectedRstIn: null});
	});

	it('counts down to the first probe from the kernel event before any poll', () => {
		// The server's first reading: dueIn 1.996 s, 0.004 s after it heard the client.
		const view = until(e => e.type === 'kernel' && e.side === 'server');
		const result = countdowns(view, [], params);
		expect(result.idle).toEqual({status: 'counting', seconds: 1.996, text: 'first probe in 1.9 s'});
		expect(result.intvl).toMatchObject({status: 'inactive', text: 'starts after the first probe'});
		// No RST in prospect while the drop is off and every probe is answered.
		expect(result.probes).toEqual({status: 'counting', used: 0, limit: 3, expectedRstIn: null, text: 'none unanswered'});
	});

	it('counts down to the next probe from when the server last heard the client, not from the re-armed timer', () => {
		// Just after the answered probe the kernel's timer says 1 s (intvl), yet it only re-arms
		// then: the next probe is idle (2 s) after the answer, as sinceRecv 0 says.
		const view = until(e => e.type === 'kernel' && e.side === 'server' && e.t > 2);
		expect(view.kernel.server).toMatchObject({t: 2.011, dueIn: 1, probesOut: 0, sinceRecv: 0});
		expect(countdowns(view, [], params).idle).toEqual({status: 'counting', seconds: 2, text: 'next probe in 2.0 s'});
	});

	it('prefers the polled readings over the last kernel event', () => {
		const view = until(e => e.type === 'kernel' && e.side === 'server');
		const result = countdowns(view, [server({dueIn: 1.53}), {...server({}), side: 'client', timer: 'none'}], params);
		expect(result.idle.text).toBe('first probe in 1.5 s');
		expect(result.reading?.dueIn).toBe(1.53);
	});

	it('expects the RST once the drop is on', () => {
		const view = until(e => e.type === 'firewall');
		const result = countdowns(view, [server({dueIn: 1.53, probesOut: 0})], params);
		// Prediction: dueIn + (probes − probesOut)·intvl.
		expect(result.probes).toMatchObject({status: 'counting', used: 0, expectedRstIn: 4.53, text: 'RST expected in 4.5 s'});
	});

	it('counts down to the next probe once probes are out', () => {
		const view = until(e => e.type === 'firewall');
		const result = countdowns(view, [server({dueIn: 0.4, probesOut: 1})], params);
		expect(result.idle.status).toBe('inactive');
		expect(result.intvl).toEqual({status: 'counting', seconds: 0.4, text: 'next probe in 0.4 s'});
		expect(result.probes).toMatchObject({used: 1, expectedRstIn: 2.4, text: 'RST expected in 2.4 s'});
	});

	it('says the next firing is the RST once every probe went unanswered', () => {
		const view = until(e => e.type === 'firewall');
		const result = countdowns(view, [server({dueIn: 0.42, probesOut: 3})], params);
		expect(result.intvl.text).toBe('RST in 0.4 s');
		expect(result.probes).toMatchObject({used: 3, limit: 3, expectedRstIn: 0.42});
	});

	it('says so when the kernel timer is past due instead of showing 0 or less', () => {
		const view = until(e => e.type === 'firewall');
		const idle = countdowns(view, [server({dueIn: 0, probesOut: 0})], params);
		expect(idle.idle).toEqual({status: 'late', seconds: 0, text: 'due — kernel timer running late'});
		expect(idle.probes.expectedRstIn).toBe(3);
		const intvl = countdowns(view, [server({dueIn: -0.2, probesOut: 2})], params);
		expect(intvl.intvl.text).toBe('due — kernel timer running late');
		const rst = countdowns(view, [server({dueIn: 0, probesOut: 3})], params);
		expect(rst.probes.text).toBe('RST due, kernel timer late');
	});

	it('uses the values the socket read back over the requested ones', () => {
		const view = until(e => e.type === 'sockopt');
		const result = countdowns(view, [server({dueIn: 1, probesOut: 1})], {idle: 7200, intvl: 75, probes: 9});
		expect(result.probes).toMatchObject({limit: 3, expectedRstIn: 3});
	});

	it('says when keepalive waits for another kernel timer', () => {
		const view = until(e => e.type === 'kernel');
		const result = countdowns(view, [server({timer: 'retransmit', dueIn: 0.2})], params);
		expect(result.idle).toMatchObject({status: 'paused', text: 'paused: retransmit timer runs'});
		expect(result.probes).toMatchObject({status: 'paused', expectedRstIn: null});
	});

	it('says the server socket is closed, with the real RST beside the expected one', () => {
		const result = countdowns(reduceLabEvents(run), [], params);
		expect(result.idle).toEqual({status: 'closed', seconds: null, text: 'closed by ETIMEDOUT at 7.103 s'});
		expect(result.intvl).toMatchObject({status: 'closed', text: 'no timer: the socket is gone'});
		expect(result.probes).toMatchObject({status: 'closed', used: null, text: 'RST at 7.102 s, expected 7.010'});
	});

	it('says the socket is gone when the kernel no longer lists it', () => {
		const view = until(e => e.type === 'firewall');
		const result = countdowns(view, [server({state: 'gone', timer: 'none', dueIn: 0})], params);
		expect(result.idle.text).toBe('server socket gone');
		expect(result.probes.text).toBe('no RST seen');
	});
});

describe('readingsKey', () => {
	/** The server's readings as the lab recorded them, without `t` and `type`. */
	const recorded = run
		.filter((e): e is KernelEvent => e.type === 'kernel' && e.side === 'server')
		.map(({t: _t, type: _type, ...reading}) => reading);
	const key = (reading: Partial<KernelReading>) => readingsKey([server(reading)]);

	it('is the same for readings that draw the same countdowns', () => {
		// The lab reports both sides after every packet: the same reading comes again.
		expect(recorded[0]).toEqual({side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 1.996, probesOut: 0, sinceRecv: 0.004});
		expect(readingsKey([recorded[0]!])).toBe(readingsKey([recorded[1]!]));
		// dueIn changes below what the screen shows.
		expect(key({dueIn: 1.53})).toBe(key({dueIn: 1.51}));
		expect(key({dueIn: 54.2})).toBe(key({dueIn: 54.9}));
		expect(key({dueIn: 7199.2})).toBe(key({dueIn: 7199.9}));
		expect(key({dueIn: 1.53, sinceRecv: 3.04})).toBe(key({dueIn: 1.51, sinceRecv: 3.01}));
	});

	it('changes when what the countdowns show changes', () => {
		const base = key({dueIn: 1.53});
		expect(key({dueIn: 1.44})).not.toBe(base);
		expect(key({dueIn: 54.9})).not.toBe(key({dueIn: 55.1}));
		expect(key({dueIn: 9.8})).not.toBe(key({dueIn: 10.2}));
		expect(key({dueIn: 1.53, probesOut: 1})).not.toBe(base);
		expect(key({dueIn: 1.53, timer: 'retransmit'})).not.toBe(base);
		expect(key({dueIn: 1.53, state: 'gone'})).not.toBe(base);
		expect(key({dueIn: 1.53, sinceRecv: 0})).not.toBe(key({dueIn: 1.53, sinceRecv: 2.016}));
		// The recorded readings: each probe out, and the socket gone, moves the key.
		expect(new Set(recorded.map(reading => reading.probesOut))).toEqual(new Set([0, 1, 2, 3]));
		for (const a of recorded) {
			for (const b of recorded) {
				if (a.probesOut !== b.probesOut || a.state !== b.state) expect(readingsKey([a])).not.toBe(readingsKey([b]));
			}
		}
	});

	describe('with the view and the run\'s params: the countdowns as drawn', () => {
		const probing = until(e => e.type === 'firewall');
		const drawn = (reading: Partial<KernelReading>) => {
			const {idle, intvl, probes} = countdowns(probing, [server(reading)], params);
			return [idle.text, intvl.text, probes.used, probes.text].join(' / ');
		};
		const viewKey = (reading: Partial<KernelReading>) => readingsKey([server(reading)], probing, params);

		it('is the same while the texts are', () => {
			expect(viewKey({dueIn: 1.53})).toBe(viewKey({dueIn: 1.51}));
			// idle − sinceRecv (1.4 s) is earlier than the timer: the timer's due time is drawn.
			expect(viewKey({dueIn: 1.53, sinceRecv: 0.6})).toBe(viewKey({dueIn: 1.51}));
			expect(viewKey({dueIn: 1.53, sinceRecv: 0.2})).not.toBe(viewKey({dueIn: 1.51}));
			expect(viewKey({dueIn: 0.62, probesOut: 2})).toBe(viewKey({dueIn: 0.61, probesOut: 2}));
		});

		it('changes when the timer goes late, though the seconds would show the same', () => {
			expect(drawn({dueIn: 0.04, probesOut: 1})).toBe('over: probing / next probe in 0.0 s / 1 / RST expected in 2.0 s');
			expect(drawn({dueIn: 0, probesOut: 1})).toBe('over: probing / due — kernel timer running late / 1 / RST expected in 2.0 s');
			expect(viewKey({dueIn: 0, probesOut: 1})).not.toBe(viewKey({dueIn: 0.04, probesOut: 1}));
		});

		it('changes whenever what is drawn changes, millisecond by millisecond', () => {
			for (const probesOut of [0, 1, 2, 3]) {
				for (let ms = 1; ms <= 3000; ms++) {
					const [before, after] = [{dueIn: (ms - 1) / 1000, probesOut}, {dueIn: ms / 1000, probesOut}];
					if (drawn(before) !== drawn(after)) expect(viewKey(after), `${probesOut} probes out, ${ms} ms`).not.toBe(viewKey(before));
				}
			}
		});
	});

	it('covers every reading, in order', () => {
		const client: KernelReading = {side: 'client', state: 'ESTABLISHED', timer: 'none', dueIn: 0, probesOut: 0};
		expect(readingsKey([])).toBe('');
		expect(readingsKey([server({}), client])).not.toBe(readingsKey([server({})]));
		expect(readingsKey([server({}), client])).not.toBe(readingsKey([server({}), {...client, state: 'gone'}]));
	});
});
