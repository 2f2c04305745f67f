import {beforeAll, expect, it} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {expectFits, quitLeavingNothing, seePane} from '../helpers/lesson-pane.js';
import {where} from '../helpers/privilege.js';
import {built, type Session, start} from '../helpers/tmux-tutorial.js';

/*
 * Lesson 8, "The NAT that forgets", in a real terminal (tmux), step by step on the real lab:
 * the nat scenario's router (nf_conntrack_tcp_timeout_established = 6 s, loose 0) forgets the
 * idle connection; the client's line dies there as INVALID; then, with the server's keepalive
 * on (idle 3, intvl 3, probes 3), the probes keep the router's entry and the same line arrives.
 */

/** The router's timeout the lesson asks for (nat-timeout), and the keepalive values (idle = intvl). */
const routerTimeout = 6;
const gap = 3;

type Words = {
	lang: 'en' | 'zh';
	done: string;
	/** The lab pane's packet list: a row of the client's 13-byte line ("still there?" and its newline). */
	dataRow: RegExp;
	title: (step: number) => RegExp;
	/** The facts each step shows, as patterns over the pane's flowing text (numbers captured). */
	natPort: RegExp;
	keepaliveOff: RegExp;
	timeout: RegExp;
	command: RegExp;
	forgotten: RegExp;
	bothUp: RegExp;
	wrote: RegExp;
	into: RegExp;
	out: RegExp;
	counter: RegExp;
	retransmits: RegExp;
	retries2: RegExp;
	probes: RegExp;
	through: RegExp;
	lastProbe: RegExp;
	entry: RegExp;
	read: RegExp;
	invalidNone: RegExp;
	right: RegExp;
	real: RegExp;
	host: RegExp;
};

const english: Words = {
	lang: 'en',
	done: '✓ Done',
	dataRow: /(C→S|client → server) +Data +\d+ +\d+ +13/,
	title: step => new RegExp(`Lesson 8/13 · step ${step}/14`),
	natPort: /The client's port is (\d+); the server sees the router's address and port (\d+)\. The entry's state: ESTABLISHED\./,
	keepaliveOff: /The server socket's keepalive: off\./,
	timeout: /seconds after its last packet: here (\d+) s\. Its nf_conntrack_tcp_loose is (\d+):/,
	command: /(iptables -A FORWARD -m conntrack --ctstate INVALID -j DROP|nft add rule ip ka-nat forward ct state invalid counter drop)/,
	forgotten: /At t = ([\d.]+) s the router removed the idle connection's entry: gone\./,
	bothUp: /The client's socket is ESTABLISHED, the server's ESTABLISHED:/,
	wrote: /The client wrote at t = ([\d.]+) s\./,
	into: /Copies that entered the router so far: (\d+)\./,
	out: /Copies that left it towards the server: (\d+)\./,
	counter: /The rule's own counter: (\d+)\./,
	retransmits: /(\d+) retransmissions so far, the next after ([\d.]+) s\./,
	retries2: /\(tcp_retries2 = (\d+)\)/,
	probes: /Probes sent: (\d+), answered: (\d+)\./,
	through: /Through the router: (\d+) in, (\d+) out\./,
	lastProbe: /the last probe left at t = ([\d.]+) s\. The router forgets after (\d+) s of silence/,
	entry: /yet its entry is present, expiring in (\d+) s:/,
	read: /Written at t = ([\d.]+) s, read by the server's application at t = ([\d.]+) s: still there\? INVALID at the router this time: (\d+)\./,
	invalidNone: /INVALID at the router this time: 0\./,
	right: /✓ Right\. Here probes crossed every 3 s, within the router's 6 s\./,
	real: /AWS Network Load Balancer: 350 s/,
	host: /Linux's default idle is 7200 s \(on your host: (\d+) s\)/,
};

const chinese: Words = {
	lang: 'zh',
	done: '✓ 完成',
	dataRow: /(C→S|客户端 → 服务器) +数据 +\d+ +\d+ +13/,
	title: step => new RegExp(`第 8/13 课 · 第 ${step}/14 步`),
	natPort: /客户端的端口是(\d+)；服务器看到的是路由器的地址和端口(\d+)。表项的状态：ESTABLISHED。/,
	keepaliveOff: /服务器socket的keepalive：off。/,
	timeout: /秒后把它从表里删掉，这里是(\d+)秒。它的nf_conntrack_tcp_loose是(\d+)：/,
	command: /(iptables-AFORWARD-mconntrack--ctstateINVALID-jDROP|nftaddruleipka-natforwardctstateinvalidcounterdrop)/,
	forgotten: /t=([\d.]+)秒时，路由器删掉了这条空闲连接的表项：gone。/,
	bothUp: /客户端的socket是ESTABLISHED，服务器的是ESTABLISHED：/,
	wrote: /客户端在t=([\d.]+)秒写出这一行。/,
	into: /到目前为止进入路由器的副本：(\d+)个。/,
	out: /从路由器出去、发往服务器的副本：(\d+)个。/,
	counter: /规则自己的计数器：(\d+)。/,
	retransmits: /到目前为止重传了(\d+)次，下一次在([\d.]+)秒后。/,
	retries2: /（tcp_retries2=(\d+)）/,
	probes: /已发探测(\d+)个，得到回应(\d+)个。/,
	through: /经过路由器：进(\d+)个，出(\d+)个。/,
	lastProbe: /最近一个探测在t=([\d.]+)秒发出。路由器静默(\d+)秒就会遗忘/,
	entry: /它的表项仍是present，还剩(\d+)秒过期：/,
	read: /t=([\d.]+)秒写出，服务器的应用在t=([\d.]+)秒读到：stillthere\?这次路由器上的INVALID：(\d+)个。/,
	invalidNone: /这次路由器上的INVALID：0个。/,
	right: /✓答对了。这里探测每3秒穿过一次路由器，在它的6秒之内。/,
	real: /AWSNetworkLoadBalancer：350秒/,
	host: /Linux默认的idle是7200秒（你的主机上：(\d+)秒）/,
};


const number = (match: RegExpExecArray, group = 1) => Number(match[group]);


/** Walks the whole lesson, each step on its real lab event, checking the facts it shows. */
async function walkLesson(session: Session, words: Words, width: number): Promise<void> {
	const see = (pattern: RegExp, timeoutMs?: number, accept?: (match: RegExpExecArray) => boolean) => seePane(session, words.lang, pattern, timeoutMs ?? 15_000, accept);
	const next = async (step: number) => {
		session.keys('Right');
		const screen = await session.see(words.title(step));
		return screen;
	};

	// 1: the router masquerades the client; the entry is there, the server's keepalive off.
	await session.see(words.title(1));
	const port = await see(words.natPort, 20_000);
	expect(number(port, 1)).toBeGreaterThan(0);
	expect(number(port, 2)).toBeGreaterThan(0);
	await see(words.keepaliveOff);
	expectFits(session.screen(), width);

	// 2: the router's timeout and loose, read back from its namespace; the INVALID rule as it ran.
	await next(2);
	const timeout = await see(words.timeout);
	expect(number(timeout, 1)).toBe(routerTimeout);
	expect(number(timeout, 2)).toBe(0);
	await see(words.command);
	expectFits(session.screen(), width);

	// 3: the router forgets: its timeout after the handshake's last ACK, read every 250 ms.
	await next(3);
	const forgotten = await see(words.forgotten, (routerTimeout + 10) * 1000);
	const forgottenAt = number(forgotten);
	expect(forgottenAt).toBeGreaterThanOrEqual(routerTimeout);
	expect(forgottenAt).toBeLessThan(routerTimeout + 1.5);
	await see(words.bothUp);
	await session.see(words.done);
	expectFits(session.screen(), width);

	// 4: the client writes its line.
	await next(4);
	session.keys('w');
	await session.see(words.done, 10_000);

	// 5: it enters the router, and again: the client's kernel retransmits (the minimum RTO is 200 ms).
	await next(5);
	await session.see(words.done, 10_000);
	const wrote = await see(words.wrote);
	expect(number(wrote)).toBeGreaterThan(forgottenAt);
	expect(number(await see(words.into))).toBeGreaterThanOrEqual(2);

	// 6: none leaves the router; the INVALID rule's own counter (200 + 400 ms of RTO for three).
	await next(6);
	await session.see(words.done, 10_000);
	expect(number(await see(words.out))).toBe(0);
	expect(number(await see(words.counter))).toBeGreaterThanOrEqual(3);
	// The server's capture never saw the line: no data in the lab pane's packet list.
	expect(session.screen()).not.toMatch(words.dataRow);
	expectFits(session.screen(), width);

	// 7: the client's kernel keeps retransmitting, its RTO doubling from 200 ms; tcp_retries2 read back.
	// Three copies died, so the kernel has retransmitted at least twice: its next reading says so.
	await next(7);
	const retransmits = await see(words.retransmits, 5000, match => number(match, 1) >= 2);
	const rto = number(retransmits, 2);
	const backoff = number(retransmits, 1);
	expect(rto).toBeGreaterThanOrEqual(0.2 * 2 ** backoff - 0.01);
	expect(rto).toBeLessThan(0.3 * 2 ** backoff);
	expect(number(await see(words.retries2))).toBeGreaterThan(0);
	expectFits(session.screen(), width);

	// 8: a new run, the server's keepalive on.
	await next(8);
	session.keys('k');
	await session.see(words.done, 20_000);

	// 9: three answered probes, each max(idle, intvl) = 3 s after the last answer (a 3 s timer's slack is
	// under 0.5 s): the connection outlives the router's timeout, its entry set back up by each probe.
	await next(9);
	await session.see(words.done, (3 * (gap + 0.5) + 10) * 1000);
	// The wait is met on the third probe; its answer, and the router's own copies (another capture), follow within milliseconds.
	const probes = await see(words.probes, 3000, match => number(match, 2) >= 3);
	expect(number(probes, 1)).toBeGreaterThanOrEqual(3);
	const through = await see(words.through, 3000, match => number(match, 2) >= 3);
	expect(number(through, 1)).toBe(number(through, 2));
	const last = await see(words.lastProbe);
	expect(number(last, 1)).toBeGreaterThan(routerTimeout);
	expect(number(last, 2)).toBe(routerTimeout);
	const entry = number(await see(words.entry));
	expect(entry).toBeGreaterThanOrEqual(1);
	expect(entry).toBeLessThan(routerTimeout);
	expect(session.screen().match(/Keep-Alive ACK/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
	expectFits(session.screen(), width);

	// 10, 11: the same line, and this time the server's application reads it.
	await next(10);
	session.keys('w');
	await session.see(words.done, 10_000);
	await next(11);
	await session.see(words.done, 10_000);
	const read = await see(words.read);
	expect(number(read, 2)).toBeGreaterThanOrEqual(number(read, 1));
	expect(number(read, 2) - number(read, 1)).toBeLessThan(1);
	expect(number(read, 3)).toBe(0);
	expect(session.screen()).toMatch(words.dataRow);
	expectFits(session.screen(), width);

	// 12: the question; its explanation cites the run's gap and the router's timeout.
	await next(12);
	session.keys('b');
	await see(words.right);
	expectFits(session.screen(), width);

	// 13, 14: the real timeouts, and the host's own keepalive idle.
	await next(13);
	await see(words.real);
	expectFits(session.screen(), width);
	await next(14);
	expect(number(await see(words.host))).toBeGreaterThan(0);
	expectFits(session.screen(), width);
}

where('tmux', 'sandbox', 'firewall').describe('lesson 8, the NAT that forgets, in a terminal (tmux)', () => {
	beforeAll(() => {
		if (!built) throw new Error(`${cliPath} or its tutorial.js is missing: run \`npm run build\` first`);
	});

	it('walks every step at 100 × 30: the line dies at the router as INVALID, then keepalive keeps the entry and it arrives; q leaves nothing', async () => {
		const session = start('--lesson 8', 100, 30);
		await walkLesson(session, english, 100);
		await quitLeavingNothing(session);
	}, 150_000);

	it('walks every step in Chinese at 80 × 24, each step whole on the screen; q leaves nothing', async () => {
		const session = start('--lesson 8', 80, 24, {lang: 'zh'});
		await walkLesson(session, chinese, 80);
		await quitLeavingNothing(session);
	}, 150_000);
});
