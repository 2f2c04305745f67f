import {describe, expect, it} from 'vitest';
import {expectedTimeline, nextFromReading, resetsNow, silentFrom} from '../../source/lab/model/timeline.js';

// DESIGN.md: with TCP_USER_TIMEOUT, TCP_KEEPCNT is ignored; the reset comes at the first
// keepalive timer firing where time since the last receive ≥ the user timeout and one probe is out.
describe('keepalive with TCP_USER_TIMEOUT', () => {
	it('ignores the probe count: probes every intvl until the user timeout has passed since the last receive', () => {
		// Heard at 2.023; probes at 4.023, 5.023; at 6.023 4 s have passed ≥ 3.5 s: the RST (probes 9 never reached).
		const {probes, rstAt} = expectedTimeline({idle: 2, intvl: 1, probes: 9, userTimeout: 3500}, silentFrom(2.023));
		expect(probes.map(p => Number(p.toFixed(3)))).toEqual([4.023, 5.023]);
		expect(rstAt).toBeCloseTo(6.023, 9);
	});

	it('goes on probing past the count while the user timeout has not passed', () => {
		const {probes, rstAt} = expectedTimeline({idle: 1, intvl: 1, probes: 1, userTimeout: 4000}, silentFrom(0));
		// Heard at 0: probes at 1, 2, 3 (past probes 1); at 4, 4 s ≥ 4 s: the RST.
		expect(probes).toEqual([1, 2, 3]);
		expect(rstAt).toBe(4);
	});

	it('needs one probe out: a user timeout shorter than idle resets one intvl after the first probe', () => {
		const {probes, rstAt} = expectedTimeline({idle: 5, intvl: 2, probes: 3, userTimeout: 1000}, silentFrom(0));
		expect(probes).toEqual([5]);
		expect(rstAt).toBe(7);
		expect(resetsNow({idle: 5, intvl: 2, probes: 3, userTimeout: 1000}, 0, 5)).toBe(false);
	});

	it('0 is off: the count decides again', () => {
		expect(expectedTimeline({idle: 3, intvl: 2, probes: 4, userTimeout: 0}, silentFrom(0))).toMatchObject({probes: [3, 5, 7, 9], rstAt: 11});
	});

	it('reads the reset off a kernel reading by the time since the last receive at the firing', () => {
		const params = {idle: 2, intvl: 1, probes: 9, userTimeout: 3500};
		expect(nextFromReading(params, {timer: 'keepalive', dueIn: 0.9, probesOut: 2, sinceRecv: 3.1})).toEqual({in: 0.9, action: 'reset'});
		expect(nextFromReading(params, {timer: 'keepalive', dueIn: 0.9, probesOut: 1, sinceRecv: 2.1})).toEqual({in: 0.9, action: 'probe'});
	});
});
