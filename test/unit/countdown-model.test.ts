import {describe, expect, it} from 'vitest';
import type {KernelEvent, KernelReading, LabEvent, PacketEvent, SocketEvent, SummaryEvent} from '../../source/lab/shared/events.js';
import {foldRunEvents, initialRun} from '../../source/lab/model/run-state.js';
import {countdowns, countdownsKey, pollDelayMs} from '../../source/ui/lab/countdown-model.js';
import {afterReading, eventsUntil, findEvent, loadEvents} from '../helpers/events.js';

const params = {idle: 2, intvl: 1, probes: 3};
/** Recorded from the real lab (test/fixtures/events/README.md). */
const run = loadEvents('fast-drop');
/** The first event of the recorded run that `match` accepts. */
const recorded = <T extends LabEvent>(match: (event: LabEvent) => event is T): T => findEvent(run, match);
const isServerKernel = (event: LabEvent): event is KernelEvent => event.type === 'kernel' && event.side === 'server';
const until = (match: (event: LabEvent) => boolean, events = run) => foldRunEvents(eventsUntil(events, match));
const server = (reading: Partial<KernelReading>): KernelReading => ({
	side: 'server',
	state: 'ESTABLISHED',
	timer: 'keepalive',
	dueIn: 1,
	probesOut: 0,
	...reading,
});

describe('countdowns', () => {
	it('waits for the lab, then for the kernel', () => {
		expect(countdowns(initialRun, params).timer).toEqual({status: 'waiting', seconds: null, text: 'waiting for the lab'});
		const ready = until(e => e.type === 'lab');
		const result = countdowns(ready, params);
		expect(result.next.text).toBe('waiting for the kernel');
		expect(result.probes).toMatchObject({status: 'waiting', used: null, limit: 3, expectedRstIn: null});
	});

	it('shows the kernel timer and the first probe from the kernel event before any poll', () => {
		// The server's first reading (recorded: dueIn 1.992 s, 0.008 s after it heard the client).
		const {dueIn} = recorded(isServerKernel);
		const view = until(e => e.type === 'kernel' && e.side === 'server');
		const result = countdowns(view, params);
		expect(result.timer).toEqual({status: 'counting', seconds: dueIn, text: 'keepalive, fires in 1.9 s'});
		expect(result.next).toEqual({status: 'counting', seconds: dueIn, text: 'first probe in 1.9 s (idle)'});
		// No RST in prospect while the drop is off and every probe is answered.
		expect(result.probes).toEqual({status: 'counting', used: 0, limit: 3, expectedRstIn: null, text: 'none unanswered'});
	});

	it('shows the kernel timer under its own name and the next probe idle after the answer', () => {
		// Just after the answered probe the kernel's timer says 1 s (the intvl re-arm); it then
		// only re-arms again: the next probe is idle (2 s) after the answer, as sinceRecv 0 says.
		// Recorded: the answer at 2.026 s, the server's reading just after it at 2.027 s.
		const answer = recorded((e): e is PacketEvent => e.type === 'packet' && e.kind === 'keepalive-ack');
		const readingAfter = recorded((e): e is KernelEvent => isServerKernel(e) && e.t >= answer.t);
		const view = until(e => e.type === 'kernel' && e.side === 'server' && e.t > 2);
		expect(view.kernel.server).toMatchObject({t: readingAfter.t, dueIn: 1, probesOut: 0, sinceRecv: 0});
		const result = countdowns(view, params);
		expect(result.timer.text).toBe('keepalive, fires in 1.0 s');
		expect(result.next).toEqual({status: 'counting', seconds: 2, text: 'next probe in 2.0 s (idle)'});
	});

	it('follows the timer when intvl > idle: after an answer the probe leaves one intvl after the last', () => {
		// idle 2, intvl 4: 1 s after the answered probe the timer has 3 s left and idle ran out 1 s ago.
		const slow = {idle: 2, intvl: 4, probes: 2};
		const view = until(e => e.type === 'packet' && e.kind === 'keepalive-ack', loadEvents('model-gt2'));
		const result = countdowns(afterReading(view, server({dueIn: 3, sinceRecv: 1})), slow);
		expect(result.timer.text).toBe('keepalive, fires in 3.0 s');
		expect(result.next.text).toBe('next probe in 3.0 s (intvl)');
	});

	it('counts from the newest reading of the server, whatever the client reported since', () => {
		const view = until(e => e.type === 'kernel' && e.side === 'server');
		const result = countdowns(afterReading(afterReading(view, server({dueIn: 1.53})), {...server({}), side: 'client', timer: 'none'}), params);
		expect(result.next.text).toBe('first probe in 1.5 s (idle)');
		expect(result.reading?.dueIn).toBe(1.53);
	});

	it('expects the RST once the drop is on', () => {
		const view = until(e => e.type === 'firewall');
		const result = countdowns(afterReading(view, server({dueIn: 1.53, probesOut: 0})), params);
		// Prediction: the next firing + (probes − probesOut)·intvl.
		expect(result.probes).toMatchObject({status: 'counting', used: 0, expectedRstIn: 4.53, text: 'RST expected in 4.5 s'});
	});

	it('counts down to the next probe once probes are out', () => {
		const view = until(e => e.type === 'firewall');
		const result = countdowns(afterReading(view, server({dueIn: 0.4, probesOut: 1, sinceRecv: 2.5})), params);
		expect(result.next).toEqual({status: 'counting', seconds: 0.4, text: 'next probe in 0.4 s (intvl)'});
		expect(result.probes).toMatchObject({used: 1, expectedRstIn: 2.4, text: 'RST expected in 2.4 s'});
	});

	it('says the next firing is the RST once every probe went unanswered', () => {
		const view = until(e => e.type === 'firewall');
		const result = countdowns(afterReading(view, server({dueIn: 0.42, probesOut: 3})), params);
		expect(result.next.text).toBe('RST in 0.4 s');
		expect(result.probes).toMatchObject({used: 3, limit: 3, expectedRstIn: 0.42});
	});

	it('says so when the kernel timer is past due instead of showing 0 or less', () => {
		const view = until(e => e.type === 'firewall');
		const idle = countdowns(afterReading(view, server({dueIn: 0, probesOut: 0})), params);
		expect(idle.next).toEqual({status: 'late', seconds: 0, text: 'due — kernel timer running late'});
		expect(idle.timer.status).toBe('late');
		expect(idle.probes.expectedRstIn).toBe(3);
		const intvl = countdowns(afterReading(view, server({dueIn: -0.2, probesOut: 2})), params);
		expect(intvl.next.text).toBe('due — kernel timer running late');
		const rst = countdowns(afterReading(view, server({dueIn: 0, probesOut: 3})), params);
		expect(rst.probes.text).toBe('RST due, kernel timer late');
	});

	it('uses the values the socket read back over the requested ones', () => {
		const view = until(e => e.type === 'sockopt');
		const result = countdowns(afterReading(view, server({dueIn: 1, probesOut: 1})), {idle: 7200, intvl: 75, probes: 9});
		expect(result.probes).toMatchObject({limit: 3, expectedRstIn: 3});
	});

	it('says when keepalive waits for another kernel timer', () => {
		const view = until(e => e.type === 'kernel');
		const result = countdowns(afterReading(view, server({timer: 'retransmit', dueIn: 0.2})), params);
		expect(result.next).toMatchObject({status: 'paused', text: 'paused: retransmit timer runs'});
		expect(result.probes).toMatchObject({status: 'paused', expectedRstIn: null});
	});

	it('says the server socket is closed, with the real RST beside the expected one', () => {
		// Recorded: ETIMEDOUT at 7.119 s, the RST at 7.114 s, the summary's expected RST 7.026 s.
		const error = recorded((e): e is SocketEvent => e.type === 'socket' && e.side === 'server' && e.event === 'error');
		const rst = recorded((e): e is PacketEvent => e.type === 'packet' && e.kind === 'rst');
		const summary = recorded((e): e is SummaryEvent => e.type === 'summary');
		const result = countdowns(foldRunEvents(run), params);
		expect(result.next).toEqual({status: 'closed', seconds: null, text: `closed by ETIMEDOUT at ${error.t.toFixed(3)} s`});
		expect(result.timer).toMatchObject({status: 'closed', text: 'none: the socket is gone'});
		expect(result.probes).toMatchObject({status: 'closed', used: null, text: `RST at ${rst.t.toFixed(3)} s, expected ${summary.expectedRstAt!.toFixed(3)}`});
	});

	it('counts nothing down once the RST has left, even before the socket reports its error', () => {
		// Recorded: the kernel events before the RST still say the timer runs (1 s, 3 probes out).
		const view = until(e => e.type === 'packet' && e.kind === 'rst');
		expect(view.sockets.server.state).toBe('connected');
		const rst = recorded((e): e is PacketEvent => e.type === 'packet' && e.kind === 'rst');
		const result = countdowns(view, params);
		expect(result.next).toMatchObject({status: 'closed', text: `reset at ${rst.t.toFixed(3)} s`});
		expect(result.timer.status).toBe('closed');
	});

	it('says the socket is gone when the kernel no longer lists it', () => {
		const view = until(e => e.type === 'firewall');
		const result = countdowns(afterReading(view, server({state: 'gone', timer: 'none', dueIn: 0})), params);
		expect(result.next.text).toBe('server socket gone');
		expect(result.probes.text).toBe('no RST seen');
	});
});

describe('countdownsKey', () => {
	const probing = until(e => e.type === 'firewall');
	/** The server's readings as the lab recorded them, without `t` and `type`. */
	const recorded = run
		.filter((e): e is KernelEvent => e.type === 'kernel' && e.side === 'server')
		.map(({t: _t, type: _type, ...reading}) => reading);
	const readingKey = (reading: KernelReading) => countdownsKey(countdowns(afterReading(probing, reading), params));
	const key = (reading: Partial<KernelReading>) => readingKey(server(reading));
	const drawn = (reading: Partial<KernelReading>) => {
		const {timer, next, probes} = countdowns(afterReading(probing, server(reading)), params);
		return [timer.text, next.text, probes.used, probes.text].join(' / ');
	};

	it('is the same for readings that draw the same countdowns', () => {
		// The lab reports both sides after every packet: the same reading comes again.
		expect(readingKey(recorded[0]!)).toBe(readingKey(recorded[1]!));
		// dueIn changes below what the screen shows.
		expect(key({dueIn: 1.53})).toBe(key({dueIn: 1.51}));
		expect(key({dueIn: 54.2})).toBe(key({dueIn: 54.9}));
		expect(key({dueIn: 0.62, probesOut: 2})).toBe(key({dueIn: 0.61, probesOut: 2}));
	});

	it('changes when the timer goes late, though the seconds would show the same', () => {
		expect(drawn({dueIn: 0.04, probesOut: 1})).toBe('keepalive, fires in 0.0 s / next probe in 0.0 s (intvl) / 1 / RST expected in 2.0 s');
		expect(key({dueIn: 0, probesOut: 1})).not.toBe(key({dueIn: 0.04, probesOut: 1}));
	});

	it('changes whenever what is drawn changes, millisecond by millisecond', () => {
		for (const probesOut of [0, 1, 2, 3]) {
			for (const sinceRecv of [undefined, 0.5, 1.9]) {
				for (let ms = 1; ms <= 3000; ms += 3) {
					const [before, after] = [{dueIn: (ms - 3) / 1000, probesOut, sinceRecv}, {dueIn: ms / 1000, probesOut, sinceRecv}];
					if (drawn(before) !== drawn(after)) expect(key(after), `${probesOut} out, ${ms} ms`).not.toBe(key(before));
				}
			}
		}
	});
});

describe('pollDelayMs', () => {
	const probing = until(e => e.type === 'firewall');
	const delay = (reading: Partial<KernelReading>) => pollDelayMs(countdowns(afterReading(probing, server(reading)), params));

	it('reads again just after the shown tenth goes by, below 10 s', () => {
		// 1.53 s shows 1.5 s until 1.499: read in 30 ms (+5 ms past the boundary).
		expect(delay({dueIn: 1.53, probesOut: 1, sinceRecv: 3})).toBe(35);
	});

	it('reads again just after the shown second goes by, above 10 s, once a second at most', () => {
		const slow = foldRunEvents(eventsUntil(loadEvents('fast-drop'), e => e.type === 'lab'));
		const wait = (dueIn: number) => pollDelayMs(countdowns(afterReading(slow, server({dueIn, probesOut: 0, sinceRecv: 0.2})), {idle: 55, intvl: 6, probes: 2}));
		expect(wait(49.6)).toBe(605);
		expect(wait(49.01)).toBe(20);
		expect(wait(7199.999)).toBe(1004);
	});

	it('reads again when the kernel timer fires, if it only re-arms', () => {
		// Timer in 0.32 s, yet the next probe 1.53 s away (idle 2, heard 0.47 s ago): read when it fires,
		// or at the next tenth shown, whichever is first; the timer's tenth (0.3) goes first, in 20 ms.
		const view = until(e => e.type === 'kernel' && e.side === 'server' && e.t > 2);
		expect(pollDelayMs(countdowns(afterReading(view, server({dueIn: 0.32, probesOut: 0, sinceRecv: 0.47})), params))).toBe(25);
		expect(pollDelayMs(countdowns(afterReading(view, server({dueIn: 0.007, probesOut: 0, sinceRecv: 0.47})), params))).toBe(20);
	});

	it('reads at least once a second, and not more than every 20 ms', () => {
		expect(pollDelayMs(countdowns(initialRun, params))).toBe(1005);
		expect(delay({dueIn: 1.5001, probesOut: 1, sinceRecv: 3})).toBe(20);
	});
});

describe('which rule the next probe follows', () => {
	const answered = until(e => e.type === 'kernel' && e.side === 'server' && e.t > 2);
	const next = (reading: Partial<KernelReading>, given = params) => countdowns(afterReading(answered, server(reading)), given).next.text;

	it('is idle once the timer has re-armed for the rest of it (the firing comes just as idle ends)', () => {
		// idle 2: heard 1.0 s ago, the re-armed timer fires in 1.0 s: that firing is the probe, by the idle rule.
		expect(next({dueIn: 1, probesOut: 0, sinceRecv: 1})).toBe('next probe in 1.0 s (idle)');
	});

	it('is intvl when the timer armed by the last probe fires after idle has passed', () => {
		// Recorded with idle 2, intvl 4: 1 s after an answer the probe's timer has 3 s left, idle ends in 1 s.
		const slow = until(e => e.type === 'packet' && e.kind === 'keepalive-ack', loadEvents('model-gt2'));
		expect(countdowns(afterReading(slow, server({dueIn: 3, probesOut: 0, sinceRecv: 1})), {idle: 2, intvl: 4, probes: 2}).next.text).toBe('next probe in 3.0 s (intvl)');
	});

	it('is intvl while probes go unanswered', () => {
		expect(next({dueIn: 0.4, probesOut: 1, sinceRecv: 2.6})).toBe('next probe in 0.4 s (intvl)');
	});
});
