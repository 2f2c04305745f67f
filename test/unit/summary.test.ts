import {describe, expect, it} from 'vitest';
import type {LabEvent, PacketEvent} from '../../source/lab/shared/events.js';
import type {KeepaliveParams} from '../../source/lab/shared/params.js';
import {foldRunEvents} from '../../source/lab/model/run-state.js';
import {summarize as summarizeRun} from '../../source/lab/model/summary.js';
import {expectedTimeline} from '../../source/lab/model/timeline.js';
import {findEvent, loadEvents} from '../helpers/events.js';

const params = {idle: 2, intvl: 1, probes: 3};
/** The summary of a run's events, folded as the lab folds them. */
const summarize = (events: LabEvent[], given: KeepaliveParams, failure?: string) => summarizeRun(foldRunEvents(events), given, failure);
const packet = (t: number, from: 'server' | 'client', kind: PacketEvent['kind']): PacketEvent => ({
	t,
	type: 'packet',
	from,
	kind,
	flags: kind === 'rst' ? ['RST', 'ACK'] : ['ACK'],
	seq: 0,
	ack: 0,
	relSeq: 0,
	relAck: 0,
	len: 0,
});
const command = 'iptables -A INPUT -p tcp --sport 40000 -j DROP';

function run(): LabEvent[] {
	return [
		packet(0.001, 'client', 'syn'),
		packet(0.001, 'server', 'syn-ack'),
		packet(0.001, 'client', 'ack'),
		packet(2.01, 'server', 'keepalive'),
		packet(2.01, 'client', 'keepalive-ack'),
		{t: 2.02, type: 'firewall', action: 'drop', command, dropped: 0},
		packet(4.02, 'server', 'keepalive'),
		packet(4.02, 'client', 'keepalive-ack'),
		{t: 4.05, type: 'firewall', action: 'drop', command, dropped: 1},
		packet(5.03, 'server', 'keepalive'),
		packet(5.03, 'client', 'keepalive-ack'),
		packet(6.04, 'server', 'keepalive'),
		packet(6.04, 'client', 'keepalive-ack'),
		{t: 6.07, type: 'firewall', action: 'drop', command, dropped: 3},
		packet(7.05, 'server', 'rst'),
		{t: 7.051, type: 'socket', side: 'server', event: 'error', code: 'ETIMEDOUT'},
		{t: 7.052, type: 'socket', side: 'client', event: 'error', code: 'ECONNRESET'},
	];
}

describe('summary', () => {
	it('counts probes, answers that reached the server, drops, and puts the model beside the RST', () => {
		expect(summarize(run(), params)).toEqual({
			type: 'summary',
			params,
			probesSent: 4,
			probesAnswered: 1,
			dropped: 3,
			rstAt: 7.05,
			expectedRstAt: 7.01, // answer at 2.01 to the probe at 2.01: max(2.01 + idle 2, 2.01 + intvl 1) + 3 × intvl 1
			serverError: 'ETIMEDOUT',
			clientError: 'ECONNRESET',
			ok: true,
		});
	});

	it('fails a run without an RST, or with the wrong errors, saying why', () => {
		const noRst = run().filter(e => !(e.type === 'packet' && e.kind === 'rst'));
		expect(summarize(noRst, params)).toMatchObject({ok: false, failure: 'no RST from the server', rstAt: null});
		const wrong = run().map(e => (e.type === 'socket' && e.side === 'client' ? {...e, code: 'EPIPE'} : e));
		expect(summarize(wrong, params)).toMatchObject({ok: false, failure: "the client's socket ended with EPIPE instead of ECONNRESET"});
		expect(summarize(run(), params, 'stopped by the user before the RST')).toMatchObject({ok: false, failure: 'stopped by the user before the RST'});
	});
});

describe('summary with intvl > idle (the issue\'s repro: --idle 1 --intvl 3 --probes 1 --drop-after 1)', () => {
	it('expects the RST one intvl after the probe that followed the answer, not idle after the answer', () => {
		// Recorded: probe at 1.029 answered, drop, the next probe at 4.197 (1.029 + 3, late), the RST at 7.269.
		const events = loadEvents('model-gt1');
		const isPacket = (kind: PacketEvent['kind']) => (e: LabEvent): e is PacketEvent => e.type === 'packet' && e.kind === kind;
		const probe = findEvent(events, isPacket('keepalive'));
		const answer = findEvent(events, isPacket('keepalive-ack'));
		const rst = findEvent(events, isPacket('rst'));
		const summary = summarize(events, {idle: 1, intvl: 3, probes: 1});
		expect(summary).toMatchObject({ok: true, rstAt: rst.t, probesSent: 2, probesAnswered: 1, dropped: 1});
		// max(1.029 + 1, 1.029 + 3) + 1 × 3 = 7.029; the textbook rule said 1.029 + 1 + 3 = 5.029.
		const expected = Math.round((Math.max(answer.t + 1, probe.t + 3) + 1 * 3) * 1000) / 1000;
		expect(expected).not.toBe(Math.round((answer.t + 1 + 3) * 1000) / 1000);
		expect(summary.expectedRstAt).toBe(expected);
		expect(summary.rstAt! - summary.expectedRstAt!).toBeLessThan(expectedTimeline({idle: 1, intvl: 3, probes: 1}, {heardAt: answer.t, probeAt: probe.t, unanswered: 0}).rstLate);
	});
});
