import {describe, expect, it} from 'vitest';
import {presets} from '../../source/lab/params.js';
import {
	earlyBound,
	expectedTimeline,
	isOnTime,
	probeLateBound,
	rstLateBound,
	timerSlack,
} from '../../source/lab/timeline.js';

describe('expectedTimeline', () => {
	it("matches the kernel developers' packetdrill case: idle 3, intvl 2, cnt 4", () => {
		expect(expectedTimeline({idle: 3, intvl: 2, probes: 4}, 0)).toEqual({probes: [3, 5, 7, 9], rstAt: 11});
	});

	it('counts from the last ACK from the peer', () => {
		const {probes, rstAt} = expectedTimeline(presets.article, 1.5);
		expect(probes).toEqual([56.5, 62.5]);
		expect(rstAt).toBe(68.5);
	});

	it('sends the RST one intvl after a single probe', () => {
		expect(expectedTimeline({idle: 5, intvl: 2, probes: 1}, 10)).toEqual({probes: [15], rstAt: 17});
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
});

describe('late bounds', () => {
	const drill = {idle: 3, intvl: 2, probes: 4};

	it('add up the idle timer and every intvl timer before the event', () => {
		expect(probeLateBound(drill, 0)).toBeCloseTo(timerSlack(3), 9);
		expect(probeLateBound(drill, 3)).toBeCloseTo(timerSlack(3) + 3 * timerSlack(2), 9);
		expect(rstLateBound(drill)).toBeCloseTo(timerSlack(3) + 4 * timerSlack(2), 9);
	});

	it('judge on time within one jiffy early and the late bound', () => {
		const bound = rstLateBound(drill);
		expect(isOnTime(11, 11, bound)).toBe(true);
		expect(isOnTime(11 - earlyBound, 11, bound)).toBe(true);
		expect(isOnTime(11 - earlyBound - 0.001, 11, bound)).toBe(false);
		expect(isOnTime(11 + bound, 11, bound)).toBe(true);
		expect(isOnTime(11 + bound + 0.001, 11, bound)).toBe(false);
	});
});
