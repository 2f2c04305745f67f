/**
 * The router's conntrack table, read live through ctnetlink (NETLINK_NETFILTER): no
 * `conntrack` tool, no /proc/net/nf_conntrack (which newer kernels may not have). The
 * socket is created in the router's namespace (netns.ts) and answers for that table
 * only; root of the lab's user namespace may dump it, since the router's namespace is
 * the user namespace's own.
 */
import {readSync, writeSync} from 'node:fs';
import {closeFd, DataType, libc, SO_RCVTIMEO, SOL_SOCKET, setsockopt, timeval} from '../../shared/libc.js';
import {inNetns} from '../netns.js';
import {type ConntrackEntry, conntrackDumpRequest, parseConntrackDump} from './conntrack-codec.js';

const AF_NETLINK = 16;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const NETLINK_NETFILTER = 12;
/** The router holds a handful of entries: one datagram each way is plenty. */
const RECV_BUFFER_SIZE = 64 * 1024;
/** A dump's replies are queued at once; this only bounds a kernel gone odd. */
const RECV_TIMEOUT_MS = 1000;
const MAX_DATAGRAMS = 100;

export type ConntrackReader = {
	/** Every IPv4 entry of the router's table now. Synchronous. */
	dump(): ConntrackEntry[];
	close(): void;
};

/** Opens a ctnetlink socket in the namespace of process `routerPid`; throws with the reason it cannot. */
export function openConntrack(routerPid: number): ConntrackReader {
	const socket = inNetns(routerPid, () => libc('socket', [DataType.I32, DataType.I32, DataType.I32], [AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_NETFILTER]));
	if (socket.value < 0) throw new Error(`socket(AF_NETLINK, NETLINK_NETFILTER) failed: ${socket.errnoMessage}`);
	const fd = socket.value;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval(RECV_TIMEOUT_MS)).value !== 0) {
		closeFd(fd);
		throw new Error('setsockopt(SO_RCVTIMEO) on the ctnetlink socket failed');
	}

	const buffer = Buffer.allocUnsafeSlow(RECV_BUFFER_SIZE);
	let seq = 0;
	return {
		dump() {
			seq = (seq + 1) >>> 0;
			const request = conntrackDumpRequest(seq);
			if (writeSync(fd, request) !== request.length) throw new Error('ctnetlink request was cut short');
			const entries: ConntrackEntry[] = [];
			for (let i = 0; i < MAX_DATAGRAMS; i++) {
				const length = readSync(fd, buffer, 0, buffer.length, null);
				const reply = parseConntrackDump(buffer.subarray(0, length));
				entries.push(...reply.entries);
				if (reply.errno !== undefined) throw new Error(`ctnetlink dump failed: errno ${reply.errno}${reply.errno === 1 ? ' (EPERM: needs CAP_NET_ADMIN in the router\'s namespace)' : ''}`);
				if (reply.done) return entries;
			}

			throw new Error(`ctnetlink dump did not end within ${MAX_DATAGRAMS} datagrams`);
		},
		close: () => closeFd(fd),
	};
}
