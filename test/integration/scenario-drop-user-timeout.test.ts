/**
 * The drop with TCP_USER_TIMEOUT on an idle keepalive connection, for real (run `npm run build`
 * first): TCP_KEEPCNT is ignored; the RST comes at the first keepalive timer firing where the time
 * since the last receive ≥ the user timeout and one probe has gone out (DESIGN.md, tcp_keepalive_timer).
 */
import {expect} from 'vitest';
import type {FirewallEvent, PacketEvent, SummaryEvent} from '../../source/lab/shared/events.js';
import {foldRunEvents} from '../../source/lab/model/run-state.js';
import {earlyBound, expectedTimeline, isOnTime, timerSlack} from '../../source/lab/model/timeline.js';
import {parseEvents, startCli} from '../helpers/cli.js';
import {where} from '../helpers/privilege.js';

where('root', 'firewall').it('resets by the user timeout, not by the probe count', async () => {
	const params = {idle: 2, intvl: 1, probes: 9, userTimeout: 3500};
	const run = startCli(['lab', '--json', '--sandbox', 'netns', '--idle', '2', '--intvl', '1', '--probes', '9', '--user-timeout', '3500']);
	const {code} = await run.exit;
	expect(run.stderr()).toBe('');
	expect(code).toBe(0);
	const events = parseEvents(run.lines);
	const all = events.filter((e): e is PacketEvent => e.type === 'packet');
	const drop = events.find((e): e is FirewallEvent => e.type === 'firewall')!;
	const heard = all.filter(p => p.from === 'client' && p.t < drop.t).at(-1)!;
	const unanswered = all.filter(p => p.kind === 'keepalive' && p.t > drop.t);
	const rst = all.find(p => p.kind === 'rst')!;
	expect(rst.from).toBe('server');
	// The kernel's rule, read off the wire: far fewer probes than TCP_KEEPCNT; the RST one intvl after the
	// last probe, the first firing at which the user timeout had passed since the last receive.
	expect(unanswered.length).toBeGreaterThanOrEqual(1);
	expect(unanswered.length).toBeLessThan(params.probes);
	const lastProbe = unanswered.at(-1)!;
	expect(rst.t - heard.t).toBeGreaterThanOrEqual(params.userTimeout / 1000 - earlyBound);
	expect(lastProbe.t - heard.t).toBeLessThan(params.userTimeout / 1000);
	expect(rst.t - lastProbe.t).toBeGreaterThanOrEqual(params.intvl - earlyBound);
	expect(rst.t - lastProbe.t).toBeLessThanOrEqual(params.intvl + timerSlack(params.intvl));
	// And the model agrees with it.
	const model = expectedTimeline(params, foldRunEvents(events).drop.clockAtDrop!);
	expect(model.probes).toHaveLength(unanswered.length);
	expect(isOnTime(rst.t, model.rstAt, model.rstLate)).toBe(true);
	expect(events.filter(e => e.type === 'socket' && e.event === 'error').map(e => e.type === 'socket' && [e.side, e.code])).toEqual(
		expect.arrayContaining([
			['server', 'ETIMEDOUT'],
			['client', 'ECONNRESET'],
		]),
	);
	const summary = events.at(-1) as SummaryEvent;
	expect(summary).toMatchObject({ok: true, userTimeout: 3500, rstAt: rst.t});
	expect(summary.expectedRstAt).toBeCloseTo(model.rstAt, 3);
});
