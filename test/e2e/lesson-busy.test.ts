import {beforeAll, expect, it} from 'vitest';
import {giveUpAfter} from '../../source/lab/model/retransmission.js';
import {jiffy, timerSlack} from '../../source/lab/model/timeline.js';
import {cliPath} from '../helpers/cli.js';
import {expectFits, quitLeavingNothing, seePane} from '../helpers/lesson-pane.js';
import {where} from '../helpers/privilege.js';
import {built, type Session, start} from '../helpers/tmux-tutorial.js';

/*
 * Lessons 9 ("Keepalive is silent while data is in flight") and 10 ("TCP_USER_TIMEOUT cuts it
 * short") in a real terminal (tmux), step by step on the real lab, as a learner takes them:
 * the busy scenario's server writes while the drop is on; no probe, retransmissions with
 * backoff (lesson 9: idle 3, intvl 2, probes 9); then with TCP_USER_TIMEOUT 7000 ms the
 * socket fails with ETIMEDOUT the user timeout after the first RTO retransmission, and on an
 * idle connection the RST comes at the first keepalive firing past it, after 3 probes of 9
 * (lesson 10: idle 2, intvl 2, probes 9).
 */

/** Lesson 9's values, and lesson 10's. */
const busy = {idle: 3, intvl: 2, probes: 9};
const timed = {idle: 2, intvl: 2, probes: 9, userTimeout: 7000};
/** A retransmission timer on loopback: TCP_RTO_MIN and the few ms of srtt and rttvar above it. */
const rtoMin = 0.2;

type Words = {
	lang: 'en' | 'zh';
	done: string;
	right: RegExp;
	title: (lesson: 9 | 10, step: number) => RegExp;
	// Lesson 9.
	settings: RegExp;
	copies: RegExp;
	tcpInfo: RegExp;
	firstRto: RegExp;
	clientRead: RegExp;
	dropped: RegExp;
	noProbe: RegExp;
	retries2: RegExp;
	giveUp: RegExp;
	explainBusy: RegExp;
	stillTrying: RegExp;
	// Lesson 10.
	userTimeout: RegExp;
	givenUp: RegExp;
	knewAfter: RegExp;
	noRst: RegExp;
	answered: RegExp;
	withoutTimeout: RegExp;
	reset: RegExp;
	ignored: RegExp;
	explainTimed: RegExp;
	real: RegExp;
};

const list = '([\\d.,]+(?:, [\\d.]+)*)';

const english: Words = {
	lang: 'en',
	done: '✓ Done',
	right: /✓ Right\./,
	title: (lesson, step) => new RegExp(`Lesson ${lesson}/13 · step ${step}/${lesson === 9 ? 10 : 13}\\b`),
	settings: /The server socket, read back: keepalive on, idle (\d+) s, intvl (\d+) s, probes (\d+)\./,
	copies: new RegExp(`The server wrote at t = ([\\d.]+) s\\. Copies of the line sent again since: ${list} Gaps between them, in seconds: ${list} Each wait`),
	tcpInfo: /retransmissions: (\d+) • RTO: ([\d.]+) s • backed off: (\d+) times • timer: retransmit/,
	firstRto: /the timer's own first one left at t = ([\d.]+) s\./,
	clientRead: /The client's application read the line at t = ([\d.]+) s: are you there\? Only/,
	dropped: /Packets the rule has dropped so far: (\d+)\./,
	noProbe: /unacknowledged: (\d+)\. In the whole run: (\d+), all before the write\. The server last heard the client at t = ([\d.]+) s\./,
	retries2: /tcp_retries2 is (\d+):/,
	giveUp: /Here: (?<after>[\d.]+) s after t = (?<first>[\d.]+) s,/,
	explainBusy: /\(here: (\d+)\); tcp_retries2 = (\d+) decides: ([\d.]+) s\./,
	stillTrying: /read: (\d+) timeouts so far, the current wait ([\d.]+) s/,
	userTimeout: /user timeout: (\d+) ms • keepalive on: idle (\d+) s, intvl (\d+) s, probes (\d+)/,
	givenUp: new RegExp(
		`Retransmissions at t = ${list} s\\. The clock starts at the first one the retransmission timer sent: t = ([\\d.]+) s\\. Plus the user timeout: t = ([\\d.]+) s\\. The server's socket failed with ETIMEDOUT at t = ([\\d.]+) s \\(([+−][\\d.]+) s\\)\\.`,
	),
	knewAfter: /knew after (\d+) ms of unanswered retransmissions/,
	noRst: /the capture shows no RST, and the client's socket is still ESTABLISHED\./,
	answered: /Probes sent: (\d+), answered: (\d+)\. The server last heard the client at t = ([\d.]+) s\./,
	withoutTimeout: /the RST would come after (\d+) unanswered probes, (\d+) s apart\./,
	reset: new RegExp(
		`Probes since the drop: (\\d+), at ${list} s, out of (\\d+)\\. • RST: t = ([\\d.]+) s • the model: t = ([\\d.]+) s • real − model: ([+−][\\d.]+) s • silence before it: ([\\d.]+) s`,
	),
	ignored: /Here: ([\d.]+) s of silence, more than (\d+) ms, at the first firing past it\./,
	explainTimed: /Here: (\d+) probes, ([\d.]+) s\./,
	real: /gRPC \(C core, Java, Go\) sets TCP_USER_TIMEOUT to its keepalive timeout/,
};

const zlist = '([\\d.,]+)';

const chinese: Words = {
	lang: 'zh',
	done: '✓ 完成',
	right: /✓答对了/,
	title: (lesson, step) => new RegExp(`第 ${lesson}/13 课 · 第 ${step}/${lesson === 9 ? 10 : 13} 步`),
	settings: /keepaliveon，idle(\d+)秒，intvl(\d+)秒，probes(\d+)。/,
	copies: new RegExp(`服务器在t=([\\d.]+)秒写出。此后重发这一行的时刻：${zlist}相邻两次的间隔（秒）：${zlist}每次等待`),
	tcpInfo: /重传次数：(\d+)•RTO：([\d.]+)秒•退避：(\d+)次•定时器：retransmit/,
	firstRto: /定时器自己发的第一份在t=([\d.]+)秒。/,
	clientRead: /客户端的应用在t=([\d.]+)秒读到了这一行：areyouthere\?丢的/,
	dropped: /规则到目前为止丢弃的包：(\d+)个。/,
	noProbe: /这一行未被确认期间发出的探测：(\d+)个。整个实验里：(\d+)个，全在写数据之前。服务器最后一次收到客户端的报文是在t=([\d.]+)秒。/,
	retries2: /tcp_retries2是(\d+)：/,
	giveUp: /这里：t=(?<first>[\d.]+)秒之后再过(?<after>[\d.]+)秒，/,
	explainBusy: /（这里：(\d+)个）；由tcp_retries2=(\d+)决定：([\d.]+)秒。/,
	stillTrying: /到目前为止超时(\d+)次，当前这次等([\d.]+)秒/,
	userTimeout: /usertimeout：(\d+)毫秒•keepaliveon：idle(\d+)秒，intvl(\d+)秒，probes(\d+)/,
	givenUp: new RegExp(
		`重传时刻t=${zlist}秒。计时从重传定时器发出的第一份开始：t=([\\d.]+)秒。加上usertimeout：t=([\\d.]+)秒。服务器的socket在t=([\\d.]+)秒出错：ETIMEDOUT（([+−][\\d.]+)秒）。`,
	),
	knewAfter: /服务器的应用在重传(\d+)毫秒都没有回应之后就知道了/,
	noRst: /抓包里没有RST，客户端的socket还是ESTABLISHED。/,
	answered: /已发探测(\d+)个，得到回应(\d+)个。服务器最后一次收到客户端的报文是在t=([\d.]+)秒。/,
	withoutTimeout: /RST要等(\d+)个探测都没有回应才来，探测之间相隔(\d+)秒。/,
	reset: new RegExp(
		`开始丢包后的探测：(\\d+)个，时间${zlist}秒，上限是(\\d+)个。•RST：t=([\\d.]+)秒•模型：t=([\\d.]+)秒•实际−模型：([+−][\\d.]+)秒•此前的静默：([\\d.]+)秒`,
	),
	ignored: /这里：静默([\d.]+)秒，超过(\d+)毫秒/,
	explainTimed: /这里：(\d+)个探测，([\d.]+)秒。/,
	real: /gRPC（Ccore、Java、Go）把TCP_USER_TIMEOUT设成它的keepalive超时/,
};


const number = (match: RegExpExecArray, group = 1) => Number(match[group]!.replace('−', '-'));
const numbers = (match: RegExpExecArray, group: number) => match[group]!.split(/,\s*/).map(Number);


function walker(session: Session, words: Words, width: number) {
	const see = (pattern: RegExp, timeoutMs?: number, accept?: (match: RegExpExecArray) => boolean) => seePane(session, words.lang, pattern, timeoutMs ?? 10_000, accept);
	const next = async (lesson: 9 | 10, step: number) => {
		session.keys('Right');
		return session.see(words.title(lesson, step));
	};

	const fits = () => expectFits(session.screen(), width);
	return {see, next, fits};
}

/** Lesson 9: the drop, the server's line, retransmissions doubling, no probe, tcp_retries2's quarter of an hour. */
async function walkBusy(session: Session, words: Words, width: number): Promise<void> {
	const {see, next, fits} = walker(session, words, width);

	// 1: the settings read back from the server socket.
	await session.see(words.title(9, 1));
	const settings = await see(words.settings, 20_000);
	expect([number(settings, 1), number(settings, 2), number(settings, 3)]).toEqual([busy.idle, busy.intvl, busy.probes]);
	fits();

	// 2, 3: the drop, then the server's line.
	await next(9, 2);
	session.keys('d');
	await session.see(words.done, 10_000);
	fits();
	await next(9, 3);
	session.keys('w');
	await session.see(words.done, 10_000);
	fits();

	// 4: the kernel counts 4 RTO retransmissions: 0.2 + 0.4 + 0.8 + 1.6 s after the first, itself
	// about 0.4 s after the write (the tail loss probe, then one RTO); each timer late by its slack at most.
	await next(9, 4);
	await session.see(words.done, 15_000);
	const copies = await see(words.copies);
	const wroteAt = number(copies, 1);
	const times = numbers(copies, 2);
	const gaps = numbers(copies, 3);
	expect(times.length).toBeGreaterThanOrEqual(5);
	expect(times[0]!).toBeGreaterThan(wroteAt);
	expect(gaps).toHaveLength(times.length - 1);
	// Exponential backoff: each gap twice the one before, within the timers' rounding.
	for (const [index, gap] of gaps.entries()) {
		const rto = rtoMin * 2 ** index;
		expect(gap, `gap ${index + 1}`).toBeGreaterThanOrEqual(rto - jiffy);
		expect(gap, `gap ${index + 1}`).toBeLessThanOrEqual(rto * 1.1 + timerSlack(rto));
	}

	fits();

	// 5: tcp_info: RTO = base × 2^backoff; the first copy was the tail loss probe, the timer's own first the second.
	await next(9, 5);
	const info = await see(words.tcpInfo);
	const backoff = number(info, 3);
	expect(number(info, 1)).toBeGreaterThanOrEqual(4);
	expect(number(info, 2)).toBeGreaterThanOrEqual(rtoMin * 2 ** backoff - 0.01);
	expect(number(info, 2)).toBeLessThan(0.25 * 2 ** backoff);
	const firstRtoAt = number(await see(words.firstRto));
	expect(firstRtoAt).toBe(times[1]);
	fits();

	// 6: the client's application has the line; only its ACKs died.
	await next(9, 6);
	const read = await see(words.clientRead);
	expect(number(read)).toBeGreaterThanOrEqual(wroteAt);
	expect(number(read) - wroteAt).toBeLessThan(0.5);
	expect(number(await see(words.dropped))).toBeGreaterThanOrEqual(times.length);
	fits();

	// 7: no probe while the line was unacknowledged; the server last heard the client before it wrote.
	await next(9, 7);
	const noProbe = await see(words.noProbe);
	expect(number(noProbe, 1)).toBe(0);
	expect(number(noProbe, 3)).toBeLessThan(wroteAt);
	// A probe was due during the wait: idle after the last answer, long before the 4th RTO retransmission.
	expect(number(noProbe, 3) + busy.idle).toBeLessThan(times.at(-1)!);
	fits();

	// 8: tcp_retries2, read back, and the kernel's tcp_model_timeout on it.
	await next(9, 8);
	const retries2 = number(await see(words.retries2));
	expect(retries2).toBeGreaterThan(0);
	const giveUp = await see(words.giveUp);
	// The two in the order each language says them.
	expect(Number(giveUp.groups!['after'])).toBeCloseTo(giveUpAfter(retries2), 3);
	expect(Number(giveUp.groups!['first'])).toBe(firstRtoAt);
	fits();

	// 9: the question; its explanation cites the run's facts.
	await next(9, 9);
	session.keys('b');
	await see(words.right);
	const explained = await see(words.explainBusy);
	expect(number(explained, 1)).toBe(0);
	expect(number(explained, 2)).toBe(retries2);
	fits();

	// 10: still retransmitting, the RTO still doubling.
	await next(9, 10);
	const still = await see(words.stillTrying);
	expect(number(still, 1)).toBeGreaterThanOrEqual(4);
	expect(number(still, 2)).toBeGreaterThanOrEqual(rtoMin * 2 ** 4 - 0.01);
	fits();
}

/** Lesson 10: ETIMEDOUT the user timeout after the first RTO retransmission, no RST; then the keepalive RST past the user timeout. */
async function walkUserTimeout(session: Session, words: Words, width: number): Promise<void> {
	const {see, next, fits} = walker(session, words, width);
	const userTimeout = timed.userTimeout / 1000;

	// 1: a fresh run with the user timeout, read back.
	await next(10, 1);
	const read = await see(words.userTimeout, 20_000);
	expect([number(read, 1), number(read, 2), number(read, 3), number(read, 4)]).toEqual([timed.userTimeout, timed.idle, timed.intvl, timed.probes]);
	fits();

	// 2, 3: drop and write at once, as the lesson asks.
	await next(10, 2);
	session.keys('d');
	await session.see(words.done, 10_000);
	fits();
	await next(10, 3);
	session.keys('w');
	await session.see(words.done, 10_000);

	// 4: ETIMEDOUT at the first RTO retransmission + 7 s (the clamped timer, late by its slack at most).
	await next(10, 4);
	await session.see(words.done, (userTimeout + 10) * 1000);
	const given = await see(words.givenUp);
	const times = numbers(given, 1);
	const firstRtoAt = number(given, 2);
	const expected = number(given, 3);
	const errorAt = number(given, 4);
	expect(times).toContain(firstRtoAt);
	expect(expected).toBeCloseTo(firstRtoAt + userTimeout, 3);
	expect(errorAt - expected).toBeGreaterThanOrEqual(-jiffy);
	expect(errorAt - expected).toBeLessThanOrEqual(timerSlack(userTimeout));
	expect(number(given, 5)).toBeCloseTo(errorAt - expected, 3);
	// No retransmission reached the deadline: the last left before the error.
	expect(times.at(-1)!).toBeLessThan(errorAt);
	fits();

	// 5: the user timeout, read back.
	await next(10, 5);
	expect(number(await see(words.knewAfter))).toBe(timed.userTimeout);
	fits();

	// 6: no RST on the wire; the client still ESTABLISHED.
	await next(10, 6);
	await see(words.noRst);
	expect(session.screen()).toMatch(/RST 0\b/);
	fits();

	// 7: a new run, same settings.
	await next(10, 7);
	session.keys('k');
	await session.see(words.done, 20_000);
	fits();

	// 8: a probe answered (idle 2 s after the handshake).
	await next(10, 8);
	await session.see(words.done, (timed.idle + 10) * 1000);
	const answered = await see(words.answered);
	expect(number(answered, 2)).toBeGreaterThanOrEqual(1);
	fits();

	// 9: the drop, right after that answer.
	await next(10, 9);
	session.keys('d');
	await session.see(words.done, 10_000);
	const without = await see(words.withoutTimeout);
	expect([number(without, 1), number(without, 2)]).toEqual([timed.probes, timed.intvl]);
	fits();

	// 10: probes at +2, +4, +6 s after the last answer; at +8 s the silence is past 7 s: the RST, 3 probes of 9.
	await next(10, 10);
	await session.see(words.done, (2 * userTimeout + 10) * 1000);
	const reset = await see(words.reset);
	const probes = number(reset, 1);
	const probeTimes = numbers(reset, 2);
	const rstAt = number(reset, 4);
	const model = number(reset, 5);
	const silence = number(reset, 7);
	expect(probes).toBe(3);
	expect(probeTimes).toHaveLength(probes);
	expect(number(reset, 3)).toBe(timed.probes);
	// Four 2 s timers in a row (the last probe's, and the three before it), each late by its slack at most.
	expect(rstAt - model).toBeGreaterThanOrEqual(-jiffy);
	expect(rstAt - model).toBeLessThanOrEqual(4 * timerSlack(timed.intvl));
	expect(number(reset, 6)).toBeCloseTo(rstAt - model, 3);
	expect(silence).toBeGreaterThanOrEqual(userTimeout);
	expect(silence).toBeLessThan(userTimeout + timed.intvl + 4 * timerSlack(timed.intvl));
	expect(rstAt - probeTimes.at(-1)!).toBeGreaterThanOrEqual(timed.intvl - jiffy);
	fits();

	// 11: the rule, with the run's silence.
	await next(10, 11);
	const ignored = await see(words.ignored);
	expect(number(ignored, 1)).toBe(silence);
	expect(number(ignored, 2)).toBe(timed.userTimeout);
	fits();

	// 12: the question.
	await next(10, 12);
	session.keys('b');
	await see(words.right);
	const explained = await see(words.explainTimed);
	expect(number(explained, 1)).toBe(probes);
	expect(number(explained, 2)).toBe(silence);
	fits();

	// 13: real programs.
	await next(10, 13);
	await see(words.real);
	fits();
}

where('tmux', 'sandbox', 'firewall').describe('lessons 9 and 10, data in flight and TCP_USER_TIMEOUT, in a terminal (tmux)', () => {
	beforeAll(() => {
		if (!built) throw new Error(`${cliPath} or its tutorial.js is missing: run \`npm run build\` first`);
	});

	it('walks every step at 100 × 30: retransmissions instead of probes, then ETIMEDOUT on time and the early RST; q leaves nothing', async () => {
		const session = start('--lesson 9', 100, 30);
		await walkBusy(session, english, 100);
		await walkUserTimeout(session, english, 100);
		await quitLeavingNothing(session);
	}, 180_000);

	it('walks every step in Chinese at 80 × 24, each step whole on the screen; q leaves nothing', async () => {
		const session = start('--lesson 9', 80, 24, {lang: 'zh'});
		await walkBusy(session, chinese, 80);
		await walkUserTimeout(session, chinese, 80);
		await quitLeavingNothing(session);
	}, 180_000);
});
