import {beforeAll, expect, it} from 'vitest';
import {jiffy, timerSlack as slack} from '../../source/lab/model/timeline.js';
import {cliPath, waitUntil} from '../helpers/cli.js';
import {flowOf, paneOf} from '../helpers/lesson-pane.js';
import {where} from '../helpers/privilege.js';
import {built, expectNothingLeft, type Session, start} from '../helpers/tmux-tutorial.js';

/*
 * Lessons 11 ("Keepalive proves the kernel, not the application": the frozen client) and
 * 12 ("Why the probe is late": a 20 s idle timer and the lateness that adds up) in a real
 * terminal (tmux), walked step by step on the real lab's events, as a learner would.
 */

/** The words may wrap anywhere in the lesson pane: a pattern that takes any white space between them. */
function words(text: string): RegExp {
	return new RegExp(text.split(' ').map(word => word.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('\\s+'));
}

/** The number after `label` on the screen (the lesson pane's text), e.g. `t = 12.345`. */
function numberAfter(screen: string, label: RegExp): number {
	const match = new RegExp(`${label.source}\\s*([+−-]?\\d+(?:\\.\\d+)?)`).exec(screen);
	if (!match) throw new Error(`${String(label)} and a number not on the screen:\n${screen}`);
	return Number(match[1]!.replace('−', '-'));
}

/** A list of signed or unsigned seconds after `label`, e.g. `late: +0.484, +0.496 s`. */
function numbersAfter(screen: string, label: RegExp): number[] {
	const match = new RegExp(`${label.source}\\s*((?:[+−-]?\\d+\\.\\d+,?\\s*)+)s`).exec(screen);
	if (!match) throw new Error(`${String(label)} and its list not on the screen:\n${screen}`);
	return match[1]!.split(',').map(part => Number(part.trim().replace('−', '-')));
}

/** Waits until the lesson pane matches (its words may wrap), bounded; gives the whole screen. */
async function seeText(session: Session, pattern: string | RegExp, timeoutMs = 15_000): Promise<string> {
	const wanted = typeof pattern === 'string' ? words(pattern) : pattern;
	let screen = '';
	try {
		await waitUntil(
			() => {
				session.record();
				screen = session.screen();
				return wanted.test(paneOf(screen).join('\n'));
			},
			timeoutMs,
			`${String(wanted)} in the lesson pane`,
		);
	} catch (error) {
		throw new Error(`${(error as Error).message}; the screen:\n${screen}`);
	}

	return screen;
}

/** Steps on with → and waits for the next step's title. */
async function next(session: Session, title: string): Promise<string> {
	session.keys('Right');
	return seeText(session, title);
}

// slack(s): the most the kernel makes a timer of s seconds late (1/8 of it, a jiffy, a scheduling allowance).
where('tmux', 'sandbox').describe('lesson 11 in a terminal (tmux): the frozen client', () => {
	beforeAll(() => {
		if (!built) throw new Error(`${cliPath} or its tutorial.js is missing: run \`npm run build\` first`);
	});

	it('freezes the client: its kernel answers probes and ACKs the request, the reply comes after SIGCONT; q leaves nothing', async () => {
		const session = start('--lesson 11', 100, 30);
		await session.see(/Keepalive proves the kernel[\s\S]*port 6699/);
		await session.see(/idle 2 s +intvl 2 s +probes 3/);
		session.record();

		// Idle 2 s: the first probe and its answer within 2 s and the timer's slack of the connect.
		await next(session, 'An answered probe');
		const answeredProbe = await seeText(session, '✓ Done: waited for a keepalive ACK', 10_000);
		expect(numberAfter(flowOf(answeredProbe), /answered:/)).toBeGreaterThanOrEqual(1);

		await next(session, 'Freeze the client');
		await seeText(session, 'Press f to stop');
		session.keys('f');
		await seeText(session, "✓ Done: the client's process is stopped.");
		session.record();

		// Answered while frozen: the next probe, at most intvl 2 s and its slack after the freeze.
		await next(session, 'Still answered');
		const frozenAt = numberAfter(flowOf(session.screen()), /since t =/);
		await seeText(session, /Since the freeze:\s+[1-9]\d*,/, 8000);

		await next(session, 'Ask the frozen client');
		session.keys('w');
		await seeText(session, "✓ Done: the server's application wrote the line.");

		// The request's ACK comes from the frozen client's kernel at once.
		await next(session, 'ACKed, never answered');
		const acked = await seeText(session, '✓ Done: waited for 2 bare ACKs', 5000);
		expect(flowOf(acked)).toMatch(/the server wrote: GET \/status/);
		expect(flowOf(acked)).toMatch(/retransmissions: 0/);
		expect(flowOf(acked)).toMatch(/the client's app read: …/);
		expect(acked).toMatch(/(S→C|server → client) +Data +1 +1 +12/);
		expect(acked).toMatch(/(C→S|client → server) +ACK +1 +13 +0/);
		// Probes go on after the request, answered with its ACK number, and still nothing is read.
		const later = await session.see(/(C→S|client → server) +Keep-Alive ACK +1 +13/, 8000);
		expect(flowOf(later)).toMatch(/the client's app read: …/);
		expect(flowOf(later)).toMatch(/retransmissions: 0/);

		await next(session, 'Let it run');
		session.keys('c');
		await seeText(session, "✓ Done: the client's process runs again.");
		session.record();

		await next(session, 'The answer, at last');
		const answered = flowOf(await seeText(session, "✓ Done: waited for the server's application to read a line", 5000));
		expect(answered).toMatch(/client read: GET \/status/);
		expect(answered).toMatch(/server read: re: GET \/status/);
		const resumedAt = numberAfter(answered, /Resumed at t =/);
		const readAt = numberAfter(answered, /• at t =/);
		expect(resumedAt).toBeGreaterThan(frozenAt);
		// The application reads only once it runs again: the stamp is when SIGCONT was sent.
		expect(readAt).toBeGreaterThanOrEqual(resumedAt);
		expect(readAt - resumedAt).toBeLessThan(1);

		await next(session, 'Heartbeats of their own');
		await next(session, 'WebSocket');
		await next(session, 'Databases');
		await next(session, 'Not that keep-alive');
		await next(session, 'Check: a frozen peer');
		session.keys('b');
		const checked = flowOf(await seeText(session, '✓ Right.', 5000));
		expect(checked).toMatch(/answered [1-9]\d* probes/);
		expect(checked).toMatch(/retransmissions: 0/);

		session.record();
		session.keys('q');
		await expectNothingLeft(session, 0);
	}, 90_000);
});

where('tmux', 'sandbox', 'firewall').describe('lesson 12 in a terminal (tmux): why the probe is late', () => {
	beforeAll(() => {
		if (!built) throw new Error(`${cliPath} or its tutorial.js is missing: run \`npm run build\` first`);
	});

	it('shows the 20 s probe within its slack, then the unanswered probes and the RST late by what adds up; q leaves nothing', async () => {
		const session = start('--lesson 12', 100, 30);
		await session.see(/Why the probe is late[\s\S]*port 6699/);
		await session.see(/idle 20 s +intvl 2 s +probes 3/);
		session.record();

		// Idle 20 s after the handshake, late by at most 20/8 s and the rest of the slack.
		await next(session, 'The first probe');
		const first = flowOf(await seeText(session, '✓ Done: waited for a keepalive probe', 30_000));
		const due = numberAfter(first, /due: t =/);
		const left = numberAfter(first, /left: t =/);
		const late = numberAfter(first, /late:/);
		const bound = numberAfter(first, /timer of 20 s:/);
		expect(bound).toBeCloseTo(slack(20), 3);
		expect(late).toBeCloseTo(left - due, 2);
		expect(late).toBeGreaterThanOrEqual(-jiffy);
		expect(late).toBeLessThanOrEqual(bound);

		await next(session, 'The timer wheel');
		await next(session, 'Drop the answers');
		session.keys('d');
		await seeText(session, '✓ Done: the drop is in force.');
		session.record();

		// The first unanswered probe waits out the rest of idle: up to 20 s and its slack after the last answer.
		await next(session, 'The first unanswered one');
		await seeText(session, '✓ Done: waited for a keepalive probe', 30_000);

		// Two more probes every intvl 2 s, then the RST one intvl later.
		await next(session, 'The reset');
		const screen = await seeText(session, '✓ Done: waited for an RST', 15_000);
		const reset = flowOf(screen);
		const expected = numbersAfter(reset, /expected:/);
		const real = numbersAfter(reset, /real:/);
		const probeLate = numbersAfter(reset, /• late:/);
		const rstLate = numberAfter(reset, /RST late:/);
		expect(expected).toHaveLength(3);
		expect(real).toHaveLength(3);
		expect(probeLate).toHaveLength(3);
		// The first after the drop comes from the rest of idle (an 18 s timer at most), the others from 2 s timers.
		expect(probeLate[0]).toBeGreaterThanOrEqual(-jiffy);
		expect(probeLate[0]).toBeLessThanOrEqual(slack(20));
		for (let index = 1; index < real.length; index++) {
			const gap = real[index]! - real[index - 1]!;
			expect(gap).toBeGreaterThanOrEqual(2 - jiffy);
			expect(gap).toBeLessThanOrEqual(2 + slack(2));
			// Each re-arm counts from when the last timer really fired: the lateness never shrinks.
			expect(probeLate[index]).toBeGreaterThanOrEqual(probeLate[index - 1]! - jiffy);
		}

		expect(rstLate).toBeGreaterThanOrEqual(probeLate.at(-1)! - jiffy);
		expect(rstLate).toBeLessThanOrEqual(probeLate.at(-1)! + slack(2));
		expect(screen).toMatch(/! +[\d.]+ (S→C|server → client) +RST/);

		await next(session, 'Lateness adds up');
		await next(session, 'Never on the dot');
		await next(session, 'Check: how late');
		session.keys('b');
		const checked = flowOf(await seeText(session, '✓ Right.', 5000));
		expect(checked).toContain(`left at t = ${left.toFixed(3)} s`);

		session.record();
		session.keys('q');
		await expectNothingLeft(session, 0);
	}, 120_000);
});
