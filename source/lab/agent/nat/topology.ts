/**
 * The NAT scenario's three namespaces: the client's (its own process holds it: the agent
 * starts it under `unshare --net`), the router's (held by a keeper process), and the
 * agent's own, where the server listens. Two veth pairs join them (addresses.ts).
 * The router forwards, masquerades the client and forgets an idle established
 * connection after `timeout` seconds (its own conntrack sysctls; the host's stay as they
 * are). Everything dies with the agent: the client by its parent-death signal, the keeper
 * when its stdin, a pipe only the agent holds, reaches end of file.
 */
import {type ChildProcess, spawn} from 'node:child_process';
import {readlinkSync, readFileSync, writeFileSync} from 'node:fs';
import type {FirewallTool, NatInfo} from '../../shared/events.js';
import {findTool} from '../../shared/find-tool.js';
import {DataType, libc} from '../../shared/libc.js';
import {inNetns} from '../netns.js';
import {assertAwayFromHome, ownNetns} from '../run-home.js';
import {natAddresses, natLinks} from './addresses.js';
import {setUpRouter} from './router-firewall.js';


export type Topology = {
	routerPid: number;
	/** What the ready event says about the topology. */
	info: NatInfo;
	/** Interface indexes of the router's two sides (in its namespace) and of the server's side (in the agent's). */
	ifindex: {routerClientSide: number; routerServerSide: number; server: number};
	/** Ends the keeper (the namespace goes with it). */
	stop(): void;
};

/** Resolves once process `pid` is in a network namespace other than the agent's (unshare has run). */
async function netnsChanged(pid: number): Promise<void> {
	const home = ownNetns();
	for (let tries = 0; tries < 1000; tries++) {
		if (readlinkSync(`/proc/${pid}/ns/net`) !== home) return;
		await new Promise(resolve => setTimeout(resolve, 1));
	}

	throw new Error(`process ${pid} did not leave the agent's network namespace`);
}

/** `ip -batch -` in the namespace of `pid` (undefined: the agent's own), one command a line. */
function ipBatch(lines: string[], pid?: number): Promise<void> {
	assertAwayFromHome('change links and addresses');
	const ip = findTool('ip') ?? 'ip';
	const [file, args] = pid === undefined ? [ip, ['-batch', '-']] : [findTool('nsenter') ?? 'nsenter', [`--net=/proc/${pid}/ns/net`, ip, '-batch', '-']];
	return new Promise((resolve, reject) => {
		const child = spawn(file, args, {stdio: ['pipe', 'ignore', 'pipe']});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.once('error', reject);
		// EPIPE when ip ends before reading (a stop killed the namespace's process); its close reports the failure.
		child.stdin.once('error', () => undefined);
		child.once('close', code => (code === 0 ? resolve() : reject(new Error(`ip -batch failed (${code}): ${stderr.trim()}`))));
		child.stdin.end(lines.join('\n') + '\n');
	});
}

const ifindex = (name: string) => libc('if_nametoindex', [DataType.String], [name]).value;

/** The router's conntrack sysctls, written in its namespace and read back. */
function routerSysctls(routerPid: number, timeout: number): {timeout: number; loose: number; forward: number} {
	const path = (name: string) => `/proc/sys/net/${name}`;
	return inNetns(routerPid, () => {
		// /proc/sys/net answers for the namespace of the thread that opens the file.
		writeFileSync(path('ipv4/ip_forward'), '1');
		writeFileSync(path('netfilter/nf_conntrack_tcp_timeout_established'), String(timeout));
		writeFileSync(path('netfilter/nf_conntrack_tcp_loose'), '0');
		const read = (name: string) => Number(readFileSync(path(name), 'utf8').trim());
		return {timeout: read('netfilter/nf_conntrack_tcp_timeout_established'), loose: read('netfilter/nf_conntrack_tcp_loose'), forward: read('ipv4/ip_forward')};
	});
}

/** Builds the topology around the client process (started under `unshare --net`); `timeout` is the router's established timeout in seconds. */
export async function buildTopology(clientPid: number, tool: FirewallTool, timeout: number): Promise<Topology> {
	// cat reads a pipe only the agent writes to: it ends when the agent does, however the agent ends.
	const keeper: ChildProcess = spawn(findTool('unshare') ?? 'unshare', ['--net', 'cat'], {stdio: ['pipe', 'ignore', 'ignore']});
	// A keeper that cannot start has no pid: that is reported below, not as an unhandled event.
	keeper.once('error', () => undefined);
	const stop = () => {
		if (keeper.exitCode === null && keeper.signalCode === null) keeper.kill('SIGKILL');
	};

	try {
		const routerPid = keeper.pid;
		if (routerPid === undefined) throw new Error('could not start the router namespace\'s keeper (unshare --net cat)');
		await Promise.all([netnsChanged(routerPid), netnsChanged(clientPid)]);
		const a = natAddresses;
		const l = natLinks;
		await ipBatch([
			`link add ${l.routerClientSide} type veth peer name ${l.client} netns ${clientPid}`,
			`link add ${l.routerServerSide} type veth peer name ${l.server} netns ${process.pid}`,
			`addr add ${a.routerClientSide}/24 dev ${l.routerClientSide}`,
			`addr add ${a.routerServerSide}/24 dev ${l.routerServerSide}`,
			'link set lo up',
			`link set ${l.routerClientSide} up`,
			`link set ${l.routerServerSide} up`,
		], routerPid);
		const [commands] = await Promise.all([
			setUpRouter(tool, routerPid, l.routerServerSide),
			ipBatch([`addr add ${a.client}/24 dev ${l.client}`, `link set ${l.client} up`, `route add default via ${a.routerClientSide}`], clientPid),
			ipBatch([`addr add ${a.server}/24 dev ${l.server}`, `link set ${l.server} up`]),
		]);
		const sysctls = routerSysctls(routerPid, timeout);
		return {
			routerPid,
			info: {...a, timeout: sysctls.timeout, loose: sysctls.loose, forward: sysctls.forward, commands},
			ifindex: {
				routerClientSide: inNetns(routerPid, () => ifindex(l.routerClientSide)),
				routerServerSide: inNetns(routerPid, () => ifindex(l.routerServerSide)),
				server: ifindex(l.server),
			},
			stop,
		};
	} catch (error) {
		stop();
		throw error;
	}
}
