import {describe, expect, it} from 'vitest';
import type {KernelReading, LabEvent, PacketEvent} from '../../source/lab/events.js';
import {countdowns, initialLabView, labView, maxPackets, reduceLabEvents} from '../../source/ui/lab/lab-view.js';
import {eventsUntil, loadEvents} from '../helpers/events.js';

const params = {idle: 2, intvl: 1, probes: 3};
const run = loadEvents('fast-drop');
const until = (match: (event: LabEvent) => boolean) => reduceLabEvents(eventsUntil(run, match));
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
			stopped: true,
			lastT: 7.2,
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
			probesAnswered: 4,
			acksDropped: 3,
			rsts: 1,
		});
		expect(view.drop).toMatchObject({on: true, command: 'iptables -A INPUT -p tcp --sport 40526 -j DROP'});
		expect(view.sockets.server).toMatchObject({state: 'error', code: 'ETIMEDOUT', t: 7.037, localPort: 6699, remotePort: 40526});
		expect(view.sockets.client).toMatchObject({state: 'error', code: 'ECONNRESET', t: 7.037, localPort: 40526});
		expect(view.kernel.server).toMatchObject({state: 'gone', t: 7.038});
		expect(view.summary).toMatchObject({ok: true, rstAt: 7.036, expectedRstAt: 7.006});
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

	it('keeps the newest kernel reading of each side', () => {
		const view = until(e => e.type === 'kernel' && e.probesOut === 2);
		expect(view.kernel.server).toEqual({t: 5.021, side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 1, probesOut: 2});
		expect(view.kernel.client).toMatchObject({state: 'ESTABLISHED', timer: 'none'});
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
		const view = reduceLabEvents(loadEvents('lab-error'));
		expect(view.errors.map(e => e.message)).toEqual([expect.stringContaining('packet capture stopped')]);
		expect(view.stopped).toBe(true);
		expect(view).toMatchObject({sandbox: 'netns', firewall: 'nft'});
	});

	it('starts over at a second ready (a new run)', () => {
		const view = labView(reduceLabEvents(run), {t: 0, type: 'lab', event: 'ready', sandbox: 'netns', port: 6699, firewall: 'nft'});
		expect(view).toMatchObject({ready: true, stopped: false, sandbox: 'netns', packets: [], summary: null, lastT: 0});
		expect(view.counters.probesSent).toBe(0);
	});

	it('does not change the state it was given', () => {
		const before = reduceLabEvents(eventsUntil(run, e => e.type === 'firewall'));
		const copy = structuredClone(before);
		reduceLabEvents(run.slice(13), before);
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
		const view = until(e => e.type === 'kernel');
		const result = countdowns(view, [], params);
		expect(result.idle).toEqual({status: 'counting', seconds: 2, text: 'first probe in 2.00 s'});
		expect(result.intvl).toMatchObject({status: 'inactive', text: 'starts after the first probe'});
		// Prediction: dueIn + (probes − probesOut)·intvl.
		expect(result.probes).toMatchObject({status: 'counting', used: 0, limit: 3, expectedRstIn: 5, text: 'RST expected in 5.00 s'});
	});

	it('prefers the polled readings over the last kernel event', () => {
		const view = until(e => e.type === 'kernel');
		const result = countdowns(view, [server({dueIn: 1.53}), {...server({}), side: 'client', timer: 'none'}], params);
		expect(result.idle.text).toBe('first probe in 1.53 s');
		expect(result.reading?.dueIn).toBe(1.53);
	});

	it('counts down to the next probe once probes are out', () => {
		const view = until(e => e.type === 'firewall');
		const result = countdowns(view, [server({dueIn: 0.4, probesOut: 1})], params);
		expect(result.idle.status).toBe('inactive');
		expect(result.intvl).toEqual({status: 'counting', seconds: 0.4, text: 'next probe in 0.40 s'});
		expect(result.probes).toMatchObject({used: 1, expectedRstIn: 2.4, text: 'RST expected in 2.40 s'});
	});

	it('says the next firing is the RST once every probe went unanswered', () => {
		const view = until(e => e.type === 'firewall');
		const result = countdowns(view, [server({dueIn: 0.25, probesOut: 3})], params);
		expect(result.intvl.text).toBe('RST in 0.25 s');
		expect(result.probes).toMatchObject({used: 3, limit: 3, expectedRstIn: 0.25});
	});

	it('says so when the kernel timer is past due instead of showing 0 or less', () => {
		const view = until(e => e.type === 'kernel');
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
		expect(result.idle).toEqual({status: 'closed', seconds: null, text: 'server closed: ETIMEDOUT at 7.037 s'});
		expect(result.intvl).toMatchObject({status: 'closed', text: 'no timer: the socket is gone'});
		expect(result.probes).toMatchObject({status: 'closed', used: null, text: 'RST at 7.036 s, expected 7.006'});
	});

	it('says the socket is gone when the kernel no longer lists it', () => {
		const view = until(e => e.type === 'firewall');
		const result = countdowns(view, [server({state: 'gone', timer: 'none', dueIn: 0})], params);
		expect(result.idle.text).toBe('server socket gone');
		expect(result.probes.text).toBe('no RST seen');
	});
});
