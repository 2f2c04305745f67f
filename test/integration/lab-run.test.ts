import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, expect, it} from 'vitest';
import type {FirewallEvent, LabEvent, PacketEvent, SocketEvent, SockoptEvent, SummaryEvent} from '../../source/lab/shared/events.js';
import type {KeepaliveParams} from '../../source/lab/shared/params.js';
import {foldRunEvents} from '../../source/lab/model/run-state.js';
import {expectedTimeline, isOnTime, silentFrom} from '../../source/lab/model/timeline.js';
import {binPath, descendants, parseEvents, root, startCli, waitUntil} from '../helpers/cli.js';
import {where} from '../helpers/privilege.js';

const defaults: KeepaliveParams = {idle: 2, intvl: 1, probes: 3};
const flags = ['lab', '--json', '--idle', '2', '--intvl', '1', '--probes', '3'];
const work = mkdtempSync(path.join(tmpdir(), 'ka-lab-'));
afterAll(() => rmSync(work, {recursive: true, force: true}));

async function runLab(extra: string[], prefix?: string[]) {
	const run = startCli([...flags, ...extra], prefix ? {prefix} : {});
	const {code} = await run.exit;
	return {code, events: parseEvents(run.lines), stderr: run.stderr()};
}

const packets = (events: LabEvent[]) => events.filter((e): e is PacketEvent => e.type === 'packet');

/**
 * The whole keepalive story, checked against the kernel's rules with the kernel's own
 * tolerances: `answered` probes answered, the drop, then `params.probes` unanswered ones
 * and the RST where the model puts them from the server's clock when the drop went on.
 */
function expectKeepaliveStory(events: LabEvent[], params: KeepaliveParams = defaults, answered = 1): void {
	const all = packets(events);
	expect(all.slice(0, 3).map(p => p.kind)).toEqual(['syn', 'syn-ack', 'ack']);

	const sockopt = events.find((e): e is SockoptEvent => e.type === 'sockopt');
	expect(sockopt).toMatchObject({side: 'server', ...params, nodeDefaults: {intvl: 1, probes: 10}});

	// Every probe: no payload, only ACK, seq = the last ACK number the client sent − 1.
	let lastClientAck: number | undefined;
	for (const packet of all) {
		if (packet.from === 'client') lastClientAck = packet.ack;
		if (packet.kind === 'keepalive') {
			expect(packet.from).toBe('server');
			expect(packet.len).toBe(0);
			expect(packet.flags).toEqual(['ACK']);
			expect(packet.seq).toBe((lastClientAck! - 1) >>> 0);
		}
	}

	const handshakeAck = all[2]!;
	const probes = all.filter(p => p.kind === 'keepalive');
	const answers = all.filter(p => p.kind === 'keepalive-ack');
	expect(probes).toHaveLength(answered + params.probes);
	expect(answers.length).toBe(probes.length); // the client answers every probe; the firewall eats the later answers
	const first = expectedTimeline(params, silentFrom(handshakeAck.t));
	expect(isOnTime(probes[0]!.t, first.probes[0]!, first.probeLate[0]!), `first probe at ${probes[0]!.t}`).toBe(true);

	// From the server's clock when the drop went on: the rest of the probes and the RST.
	const run = foldRunEvents(events);
	const model = expectedTimeline(params, run.drop.clockAtDrop!);
	const unanswered = probes.slice(answered);
	expect(unanswered.map(p => p.t)).toHaveLength(model.probes.length);
	unanswered.forEach((probe, i) => {
		expect(isOnTime(probe.t, model.probes[i]!, model.probeLate[i]!), `probe at ${probe.t}, model ${model.probes[i]}`).toBe(true);
	});
	const rst = all.find(p => p.kind === 'rst');
	expect(rst?.from).toBe('server');
	expect(isOnTime(rst!.t, model.rstAt, model.rstLate), `RST at ${rst!.t}, model ${model.rstAt}`).toBe(true);
	// The RST carries the server's next sequence number: one past the probes' N − 1.
	expect(rst!.seq).toBe((probes[0]!.seq + 1) >>> 0);

	// The drop came right after the last answer; the rule's own counter equals the client packets that died.
	const drop = events.find((e): e is FirewallEvent => e.type === 'firewall' && e.action === 'drop')!;
	expect(drop.t).toBeGreaterThanOrEqual(answers[answered - 1]!.t);
	const clientAfterDrop = all.filter(p => p.from === 'client' && p.t > drop.t);
	const finalCount = events.filter((e): e is FirewallEvent => e.type === 'firewall').at(-1)!.dropped;
	expect(finalCount).toBe(clientAfterDrop.length);
	expect(finalCount).toBe(params.probes);
	// Exactly those are marked dropped, on the evidence of the counter.
	expect(run.packets.filter(p => p.dropped).map(p => p.t)).toEqual(clientAfterDrop.map(p => p.t));

	const errors = events.filter((e): e is SocketEvent => e.type === 'socket' && e.event === 'error');
	expect(errors.find(e => e.side === 'server')?.code).toBe('ETIMEDOUT');
	expect(errors.find(e => e.side === 'client')?.code).toBe('ECONNRESET');

	const summary = events.at(-1) as SummaryEvent;
	expect(summary).toMatchObject({
		type: 'summary',
		ok: true,
		probesSent: answered + params.probes,
		probesAnswered: answered,
		dropped: params.probes,
		serverError: 'ETIMEDOUT',
		clientError: 'ECONNRESET',
		rstAt: rst!.t,
	});
	expect(summary.expectedRstAt).toBeCloseTo(model.rstAt, 3);

	// t is milliseconds precision, and time never runs backwards in the packet list.
	for (const event of events) expect(Math.round(event.t * 1000) / 1000).toBe(event.t);
	for (let i = 1; i < all.length; i++) expect(all[i]!.t).toBeGreaterThanOrEqual(all[i - 1]!.t);
}

where('root').describe('lab --json, as root in a network namespace', () => {
	where('iptables', 'tshark').it('runs the article experiment with iptables and writes a pcap that tshark agrees with', async () => {
		const pcap = path.join(work, 'run.pcap');
		const {code, events, stderr} = await runLab(['--sandbox', 'netns', '--firewall', 'iptables', '--pcap', pcap]);
		expect(stderr).toBe('');
		expect(code).toBe(0);
		expect(events[0]).toMatchObject({type: 'lab', event: 'ready', sandbox: 'netns', port: 6699, firewall: 'iptables', t: 0});
		// A new namespace starts at the kernel's defaults, whatever the host has.
		expect(events.find(e => e.type === 'sysctl')).toMatchObject({tcp_keepalive_time: 7200, tcp_keepalive_intvl: 75, tcp_keepalive_probes: 9});
		const drop = events.find(e => e.type === 'firewall') as FirewallEvent;
		const clientPort = (events.find(e => e.type === 'socket' && e.side === 'client' && e.event === 'connected') as SocketEvent).localPort;
		expect(drop.command).toBe(`iptables -A INPUT -p tcp --sport ${clientPort} -j DROP`);
		expectKeepaliveStory(events);

		// Wireshark's own analysis of our pcap: the frames it calls keep-alives are exactly ours.
		const fields = execFileSync(
			'tshark',
			['-r', pcap, '-Y', 'tcp.port == 6699', '-T', 'fields', '-E', 'separator=,', '-e', 'tcp.seq_raw', '-e', 'tcp.analysis.keep_alive', '-e', 'tcp.analysis.keep_alive_ack'],
			{encoding: 'utf8'},
		)
			.trim()
			.split('\n');
		const ours = packets(events);
		expect(fields).toHaveLength(ours.length);
		fields.forEach((line, index) => {
			const [seq, keepalive, keepaliveAck] = line.split(',');
			expect(Number(seq)).toBe(ours[index]!.seq);
			expect(keepalive === '1').toBe(ours[index]!.kind === 'keepalive');
			expect(keepaliveAck === '1').toBe(ours[index]!.kind === 'keepalive-ack');
		});
	});

	where('nft').it('runs the same experiment with nft', async () => {
		const {code, events} = await runLab(['--sandbox', 'netns', '--firewall', 'nft']);
		expect(code).toBe(0);
		expect(events[0]).toMatchObject({firewall: 'nft', sandbox: 'netns'});
		const drop = events.find(e => e.type === 'firewall') as FirewallEvent;
		expect(drop.command).toMatch(/^nft add rule inet ka input tcp sport \d+ counter drop$/);
		expectKeepaliveStory(events);
	});
});

where('nobody-userns').describe('lab --json, as an ordinary user in a user namespace', () => {
	const nobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--reset-env'];

	/** The CLI as an ordinary user (nobody) can run it: this checkout, or a readable copy of it. */
	function cliForNobody(): string {
		const cli = path.join(root, binPath);
		try {
			execFileSync(nobody[0]!, [...nobody.slice(1), 'test', '-r', cli]);
			return cli;
		} catch {
			const copy = mkdtempSync(path.join(work, 'pkg-'));
			execFileSync('cp', ['-a', ...['package.json', 'dist', 'lessons', 'node_modules'].map(p => path.join(root, p)), copy]);
			execFileSync('chmod', ['-R', 'a+rX', work]);
			return path.join(copy, binPath);
		}
	}

	for (const firewall of ['iptables', 'nft'] as const) {
		where(firewall).it(`runs without any privilege (${firewall})`, async () => {
			const run = startCli([...flags, '--sandbox', 'userns', '--firewall', firewall], {
				prefix: nobody,
				cli: cliForNobody(),
				spawn: {cwd: tmpdir()},
			});
			const {code} = await run.exit;
			const events = parseEvents(run.lines);
			expect(run.stderr()).toBe('');
			expect(code).toBe(0);
			expect(events[0]).toMatchObject({type: 'lab', event: 'ready', sandbox: 'userns', firewall});
			expectKeepaliveStory(events);
		});
	}

	it("enters the user namespace in the bin's shell lines, before Node, for the commands that run a lab", () => {
		// A node that says where it was started, in place of the real one: the program's own restart cannot happen.
		const bin = mkdtempSync(path.join(work, 'bin-'));
		writeFileSync(path.join(bin, 'node'), '#!/bin/sh\necho "$(tr -s " " < /proc/self/uid_map | xargs)|${KA_TUTORIAL_USERNS-unset}|${NODE_EXTRA_CA_CERTS-unset}|$*"\n', {mode: 0o755});
		execFileSync('chmod', ['-R', 'a+rX', work]);
		const cli = cliForNobody();
		const started = (...args: string[]) =>
			execFileSync(nobody[0]!, [...nobody.slice(1), 'env', `PATH=${bin}:/usr/bin:/bin`, 'NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt', cli, ...args], {cwd: tmpdir(), encoding: 'utf8'}).trim();
		expect(started('lab', '--json')).toBe(`0 65534 1|65534|unset|${cli} lab --json`);
		expect(started()).toBe(`0 65534 1|65534|unset|${cli}`);
		expect(started('verify', 'x y')).toBe(`0 65534 1|65534|unset|${cli} verify x y`);
		for (const args of [['doctor'], ['check-lessons'], ['lab', '--sandbox', 'netns'], ['--sandbox=netns']]) {
			expect(started(...args), args.join(' ')).toBe(`0 0 4294967295|unset|unset|${cli} ${args.join(' ')}`);
		}
	});

	// node dist/ka-tutorial.js starts itself again; the program started as npx does is started in it by its shell lines.
	for (const asProgram of [false, true]) {
		const how = asProgram ? 'started as a program' : 'started by node';
		/** The environment's PATH: where this node is (the shell lines start `node`), then `extra`. */
		const env = (extra: string[] = []) => ['env', `PATH=${[...extra, path.dirname(process.execPath), '/usr/bin', '/bin'].join(':')}`];

		it(`runs in a user namespace of its own, ${how}: same pid, the agent in it, the client its only Node child`, async () => {
			const run = startCli([...flags, '--drop-after', '1'], {prefix: [...nobody, ...env()], cli: cliForNobody(), spawn: {cwd: tmpdir()}, asProgram});
			const pid = run.child.pid!;
			await waitUntil(() => parseEvents(run.lines).length > 0, 10_000, 'the lab to be ready');
			// unshare --map-root-user's one line: root inside is nobody outside.
			expect(readFileSync(`/proc/${pid}/uid_map`, 'utf8').trim().split(/\s+/)).toEqual(['0', '65534', '1']);
			const nodes = descendants(pid).flatMap(child => {
				try {
					return [readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0')];
				} catch {
					return [];
				}
			}).filter(([file]) => file === process.execPath);
			expect(nodes.map(argv => path.basename(argv[1] ?? ''))).toEqual(['client.js']);
			const {code} = await run.exit;
			expect(run.stderr()).toBe('');
			expect(code).toBe(0);
			expect(parseEvents(run.lines)[0]).toMatchObject({type: 'lab', event: 'ready', sandbox: 'userns'});
		});

		it(`goes on without its own user namespace when the kernel refuses one, and the lab says why (${how})`, async () => {
			// An unshare that fails as a restricted kernel's does (AppArmor, a hardened kernel).
			const bin = mkdtempSync(path.join(work, 'bin-'));
			writeFileSync(path.join(bin, 'unshare'), '#!/bin/sh\necho "unshare: write failed /proc/self/uid_map: Operation not permitted" >&2\nexit 1\n', {mode: 0o755});
			execFileSync('chmod', ['-R', 'a+rX', work]);
			const run = startCli(flags, {prefix: [...nobody, ...env([bin])], cli: cliForNobody(), spawn: {cwd: tmpdir()}, asProgram});
			const {code} = await run.exit;
			expect(code).toBe(2);
			expect(parseEvents(run.lines)).toEqual([
				expect.objectContaining({type: 'lab', event: 'error', message: expect.stringMatching(/uid_map: Operation not permitted/), fix: expect.stringMatching(/sudo npx ka-tutorial/)}),
			]);
		});

		it(`leaves doctor in the user's own namespace, ${how}: it reports on the user as they are`, async () => {
			const run = startCli(['doctor'], {prefix: [...nobody, ...env()], cli: cliForNobody(), spawn: {cwd: tmpdir()}, asProgram});
			await waitUntil(() => run.lines.length > 0, 10_000, 'the first check');
			expect(readFileSync(`/proc/${run.child.pid!}/uid_map`, 'utf8').trim().split(/\s+/)).toEqual(['0', '0', '4294967295']);
			await run.exit;
		});

		it(`keeps --sandbox netns root's, ${how}: the plain network namespace is refused`, async () => {
			for (const sandbox of [['--sandbox', 'netns'], ['--sandbox=netns']]) {
				const run = startCli([...flags, ...sandbox], {prefix: [...nobody, ...env()], cli: cliForNobody(), spawn: {cwd: tmpdir()}, asProgram});
				const {code} = await run.exit;
				expect(code, sandbox.join(' ')).toBe(2);
				expect(parseEvents(run.lines)).toEqual([expect.objectContaining({type: 'lab', event: 'error', message: expect.stringMatching(/needs root/)})]);
			}
		});
	}
});

/*
 * The kernel's rules across the range (DESIGN.md): intvl above, equal to and below idle,
 * one probe and several. Concurrent: each run has its own namespace and its own timers.
 */
where('root', 'firewall').describe('lab --json across the range of keepalive values', () => {
	const sweep = [
		{idle: 1, intvl: 3, probes: 1, dropAfter: 1},
		{idle: 2, intvl: 4, probes: 2, dropAfter: 2},
		{idle: 2, intvl: 2, probes: 3, dropAfter: 2},
		{idle: 3, intvl: 1, probes: 4, dropAfter: 2},
	];
	for (const {dropAfter, ...params} of sweep) {
		it.concurrent(`idle ${params.idle}, intvl ${params.intvl}, probes ${params.probes}, drop after ${dropAfter} answers`, async () => {
			const run = startCli(['lab', '--json', '--sandbox', 'netns', '--idle', String(params.idle), '--intvl', String(params.intvl), '--probes', String(params.probes), '--drop-after', String(dropAfter)]);
			const {code} = await run.exit;
			expect(run.stderr()).toBe('');
			expect(code).toBe(0);
			expectKeepaliveStory(parseEvents(run.lines), params, dropAfter);
		});
	}
});
