import {describe, expect, it} from 'vitest';
import {presets} from '../../source/lab/shared/params.js';
import {
	earlyBound,
	expectedTimeline,
	isOnTime,
	nextAction,
	nextFromReading,
	silentFrom,
	timerSlack,
} from '../../source/lab/model/timeline.js';

describe('expectedTimeline from a peer that was never probed', () => {
	it("matches the kernel developers' packetdrill case: idle 3, intvl 2, cnt 4", () => {
		const {probes, rstAt} = expectedTimeline({idle: 3, intvl: 2, probes: 4}, silentFrom(0));
		expect(probes).toEqual([3, 5, 7, 9]);
		expect(rstAt).toBe(11);
	});

	it('counts from the last segment heard from the peer', () => {
		const {probes, rstAt} = expectedTimeline(presets.article, silentFrom(1.5));
		expect(probes).toEqual([56.5, 62.5]);
		expect(rstAt).toBe(68.5);
	});

	it('sends the RST one intvl after a single probe', () => {
		const {probes, rstAt} = expectedTimeline({idle: 5, intvl: 2, probes: 1}, silentFrom(10));
		expect(probes).toEqual([15]);
		expect(rstAt).toBe(17);
	});
});

describe('expectedTimeline after an answered probe: max(answer + idle, probe + intvl)', () => {
	it('waits out idle after the answer while intvl < idle', () => {
		// Probe at 3, answered at 3.001: the intvl timer fires at 4, finds the peer heard 1 s ago, re-arms.
		const {probes, rstAt} = expectedTimeline({idle: 3, intvl: 1, probes: 2}, {heardAt: 3.001, probeAt: 3, unanswered: 0});
		expect(probes).toHaveLength(2);
		expect(probes[0]).toBeCloseTo(6.001, 9);
		expect(probes[1]).toBeCloseTo(7.001, 9);
		expect(rstAt).toBeCloseTo(8.001, 9);
	});

	it('probes one intvl after the last probe while intvl > idle, answered or not', () => {
		// The repro: idle 2, intvl 4, probes 2, probe at 2.0 answered at once: the next leaves at 6.0, not 4.0.
		const clock = {heardAt: 2.001, probeAt: 2, unanswered: 0};
		const {probes, rstAt} = expectedTimeline({idle: 2, intvl: 4, probes: 2}, clock);
		expect(probes).toEqual([6, 10]);
		expect(rstAt).toBe(14);
		// idle 1, intvl 3, probes 1: the RST 3 s after the first unanswered probe, 7 s in all.
		expect(expectedTimeline({idle: 1, intvl: 3, probes: 1}, {heardAt: 1.001, probeAt: 1, unanswered: 0}).rstAt).toBe(7);
	});

	it('is the same either way when intvl = idle', () => {
		const {probes, rstAt} = expectedTimeline({idle: 2, intvl: 2, probes: 3}, {heardAt: 2, probeAt: 2, unanswered: 0});
		expect(probes).toEqual([4, 6, 8]);
		expect(rstAt).toBe(10);
	});

	it('waits for idle after data heard long after the last probe', () => {
		const {probes} = expectedTimeline({idle: 2, intvl: 4, probes: 1}, {heardAt: 9, probeAt: 2, unanswered: 0});
		expect(probes).toEqual([11]);
	});

	it('goes on from probes already out', () => {
		const {probes, rstAt} = expectedTimeline({idle: 3, intvl: 2, probes: 4}, {heardAt: 0, probeAt: 5, unanswered: 2});
		expect(probes).toEqual([7, 9]);
		expect(rstAt).toBe(11);
		expect(nextAction({idle: 3, intvl: 2, probes: 4}, {heardAt: 0, probeAt: 9, unanswered: 4})).toEqual({action: 'reset', at: 11, after: 'intvl'});
	});

	it('adds up the slack of every timer it waits for', () => {
		const params = {idle: 3, intvl: 2, probes: 4};
		const silent = expectedTimeline(params, silentFrom(0));
		expect(silent.probeLate[0]).toBeCloseTo(timerSlack(3), 9);
		expect(silent.probeLate[3]).toBeCloseTo(timerSlack(3) + 3 * timerSlack(2), 9);
		expect(silent.rstLate).toBeCloseTo(timerSlack(3) + 4 * timerSlack(2), 9);
		// After an answered probe with intvl > idle, the first timer is an intvl one.
		const answered = expectedTimeline({idle: 2, intvl: 4, probes: 2}, {heardAt: 2, probeAt: 2, unanswered: 0});
		expect(answered.probeLate[0]).toBeCloseTo(timerSlack(4), 9);
	});
});

describe('nextFromReading', () => {
	const params = {idle: 2, intvl: 1, probes: 3};

	it('is the later of the timer and the rest of idle while no probe is out', () => {
		expect(nextFromReading(params, {timer: 'keepalive', dueIn: 1.5, probesOut: 0, sinceRecv: 0.5})).toEqual({in: 1.5, action: 'probe'});
		expect(nextFromReading(params, {timer: 'keepalive', dueIn: 0.2, probesOut: 0, sinceRecv: 0.8})).toEqual({in: 1.2, action: 'probe'});
		expect(nextFromReading(params, {timer: 'keepalive', dueIn: 0, probesOut: 0, sinceRecv: 2.6})).toEqual({in: 0, action: 'probe'});
	});

	it('is the timer itself with probes out, and a reset once all went unanswered', () => {
		expect(nextFromReading(params, {timer: 'keepalive', dueIn: 0.4, probesOut: 1, sinceRecv: 3})).toEqual({in: 0.4, action: 'probe'});
		expect(nextFromReading(params, {timer: 'keepalive', dueIn: 0.4, probesOut: 3, sinceRecv: 5})).toEqual({in: 0.4, action: 'reset'});
	});

	it('is nothing while another timer runs', () => {
		expect(nextFromReading(params, {timer: 'retransmit', dueIn: 0.2, probesOut: 0})).toBeNull();
	});
});

describe('timerSlack', () => {
	it('is 1/8 of the timer plus one 10 ms jiffy plus a 50 ms allowance', () => {
		expect(timerSlack(1)).toBeCloseTo(0.185, 9);
		expect(timerSlack(8)).toBeCloseTo(1.06, 9);
	});

	it('covers the lateness seen on this kind of machine (DESIGN.md)', () => {
		expect(timerSlack(20)).toBeGreaterThan(2.0); // a 20 s idle probe left 2.0 s late
		expect(timerSlack(55)).toBeGreaterThan(1.1);
		expect(timerSlack(1)).toBeGreaterThan(0.03); // 1 s and 2 s timers: within about 30 ms
		expect(timerSlack(2)).toBeGreaterThan(0.03);
	});

	it('judges on time within one jiffy early and the late bound', () => {
		const bound = 0.5;
		expect(isOnTime(11, 11, bound)).toBe(true);
		expect(isOnTime(11 - earlyBound, 11, bound)).toBe(true);
		expect(isOnTime(11 - earlyBound - 0.001, 11, bound)).toBe(false);
		expect(isOnTime(11 + bound, 11, bound)).toBe(true);
		expect(isOnTime(11 + bound + 0.001, 11, bound)).toBe(false);
	});
});
