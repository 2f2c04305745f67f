/**
 * The kernel's view of the lab's two sockets through NETLINK_SOCK_DIAG, the interface
 * `ss -tnoi` uses, called through ffi-rs into libc (socket, setsockopt, close) and
 * plain read(2)/write(2) on the descriptor.
 *
 * Beyond what /proc/net/tcp shows (proc-tcp.ts), each socket carries its struct tcp_info,
 * and with it the time since the socket last received anything. That is what a countdown
 * to the next keepalive probe needs: net/ipv4/tcp_timer.c tcp_keepalive_timer, when the
 * timer fires, measures
 *
 *     elapsed = keepalive_time_elapsed(tp)
 *             = min(now - icsk_ack.lrcvtime, now - tp->rcv_tstamp)
 *
 * and only probes if elapsed >= keepalive_time; otherwise it re-arms for
 * keepalive_time - elapsed. So after an answered probe the timer fires `intvl` later,
 * finds the peer was heard from, and waits out the rest of `idle`: the next probe is in
 * max(dueIn, idle - sinceRecv), with sinceRecv read here.
 *
 * net/ipv4/tcp.c tcp_get_info fills the two "since" values from those very timestamps:
 *
 *     tcpi_last_data_recv = jiffies_to_msecs(now - icsk->icsk_ack.lrcvtime)  (data only)
 *     tcpi_last_ack_recv  = jiffies_to_msecs(now - tp->rcv_tstamp)           (any ACK)
 *
 * (`ss -i` prints them as lastrcv and lastack.) A bare ACK (the answer to a probe) moves
 * only rcv_tstamp (tcp_ack sets it before its "nothing was in flight" exit), so
 * last_ack_recv is the one that resets on an answered probe; data moves both.
 * sinceRecvMs is the smaller of the two, as the timer computes it. A keepalive probe
 * that arrives moves neither: it is out of window, answered and dropped.
 *
 * readSockDiag dumps the namespace's TCP sockets about once a second (and whenever a
 * socket it knows is gone); the reads in between look the lab's two sockets up one by
 * one, which costs a tenth as much.
 *
 * The dump is read in the calling process's network namespace (the namespace a netlink
 * socket is created in; sockDiagIn reads another's), and needs no privilege: an unprivileged user, or root of a user
 * namespace, may dump every TCP socket of its namespace with tcp_info included.
 */

import {readSync, writeSync} from 'node:fs';
import {closeFd, DataType, libc, SO_RCVTIMEO, SOL_SOCKET, setsockopt, timeval} from '../shared/libc.js';
import {inNetns} from './netns.js';
import {AF_INET, AF_INET6, type DiagSocket, errnoName, type SockDiagReading, sockDiagRequest, toSockDiagReading, walkSockDiag} from './sock-diag-codec.js';

const AF_NETLINK = 16;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const NETLINK_SOCK_DIAG = 4;
const ENOENT = 2;
/** One datagram of a dump is at most about 32 KiB; 64 KiB leaves room (a short buffer would truncate it). */
const RECV_BUFFER_SIZE = 64 * 1024;
/** A read that waits longer than this fails (a dump's replies are queued at once; this only bounds a kernel gone odd). */
const RECV_TIMEOUT_MS = 1000;
/** Upper bound on datagrams per dump: the lab's namespace holds a handful of sockets. */
const MAX_DATAGRAMS = 10_000;

function openDiagSocket(netnsPid: number | undefined): number {
	const open = () => libc('socket', [DataType.I32, DataType.I32, DataType.I32], [AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG]);
	const socket = netnsPid === undefined ? open() : inNetns(netnsPid, open);
	if (socket.value < 0) {
		throw new Error(`socket(AF_NETLINK, NETLINK_SOCK_DIAG) failed: ${socket.errnoMessage}`);
	}

	const r = setsockopt(socket.value, SOL_SOCKET, SO_RCVTIMEO, timeval(RECV_TIMEOUT_MS));
	if (r.value !== 0) {
		closeFd(socket.value);
		throw new Error(`setsockopt(SO_RCVTIMEO) on the sock_diag socket failed: ${r.errnoMessage}`);
	}

	return socket.value;
}

/** One namespace's kept netlink socket, and the lab's sockets its last dump found. */
export type SockDiag = {
	/** The namespace of this process (the NAT scenario's client); undefined: the caller's own. */
	readonly netnsPid?: number;
	fd?: number;
	tracked?: {serverPort: number; ipv6: boolean; sockets: DiagSocket[]; dumpedAt: number};
};

/** A reader for the namespace of process `netnsPid`, whose socket is opened there on its first read. */
export function sockDiagIn(netnsPid: number): SockDiag {
	return {netnsPid};
}

/** The caller's own namespace: the one the functions below read unless given another. */
const own: SockDiag = {};
let seq = 0;
const receiveBuffer = Buffer.allocUnsafeSlow(RECV_BUFFER_SIZE);

function send(fd: number, request: Buffer): void {
	if (writeSync(fd, request) !== request.length) {
		throw new Error('sock_diag request was cut short');
	}
}

/** One reply datagram (copied out of the shared buffer). */
function receive(fd: number): Buffer {
	const length = readSync(fd, receiveBuffer, 0, receiveBuffer.length, null);
	if (length <= 0) {
		throw new Error('sock_diag socket returned end of file');
	}

	return Buffer.from(receiveBuffer.subarray(0, length));
}

/** Dumps every TCP socket of `family`: the reply datagrams up to NLMSG_DONE, concatenated. */
function dump(fd: number, family: number): Buffer {
	seq = (seq + 1) >>> 0;
	send(fd, sockDiagRequest(family, seq));
	const chunks: Buffer[] = [];
	for (let i = 0; i < MAX_DATAGRAMS; i++) {
		const datagram = receive(fd);
		chunks.push(datagram);
		const walk = walkSockDiag(datagram);
		if (walk.errno !== undefined) {
			throw new Error(`sock_diag dump failed: ${errnoName(walk.errno)}`);
		}

		if (walk.done) {
			return chunks.length === 1 ? datagram : Buffer.concat(chunks);
		}
	}

	throw new Error(`sock_diag dump did not end within ${MAX_DATAGRAMS} datagrams`);
}

/**
 * Looks one socket up by the sockid of an earlier reply. The kernel answers with the
 * socket's one message, or with NLMSG_ERROR ENOENT if no socket has that address, ports
 * and cookie any more (undefined here).
 */
function lookup(fd: number, socket: DiagSocket): DiagSocket | undefined {
	seq = (seq + 1) >>> 0;
	send(fd, sockDiagRequest(socket.family, seq, socket.sockid));
	const walk = walkSockDiag(receive(fd));
	if (walk.errno === ENOENT) {
		return undefined;
	}

	if (walk.errno !== undefined) {
		throw new Error(`sock_diag lookup failed: ${errnoName(walk.errno)}`);
	}

	if (walk.sockets.length !== 1) {
		throw new Error(`sock_diag lookup answered with ${walk.sockets.length} sockets`);
	}

	return walk.sockets[0];
}

export type SockDiagOptions = {
	/**
	 * Also dump AF_INET6 sockets (a server listening on `::` holds IPv4 connections as
	 * v4-mapped IPv6 sockets, which only the IPv6 dump lists). Default false: the lab
	 * listens on 127.0.0.1.
	 */
	ipv6?: boolean;
	/**
	 * How often (ms) to dump the whole table again rather than look up the sockets found
	 * last time; default 1000. A dump is what finds sockets that appeared since; 0 dumps
	 * on every read.
	 */
	rescanMs?: number;
};

/** The raw reply bytes of a dump of every TCP socket (with tcp_info) of the calling process's network namespace. */
export function dumpSockDiag(options: Pick<SockDiagOptions, 'ipv6'> = {}): Buffer {
	return withSocket(own, (fd) => {
		const ipv4 = dump(fd, AF_INET);
		return options.ipv6 ? Buffer.concat([ipv4, dump(fd, AF_INET6)]) : ipv4;
	});
}

/** Runs `use` on the kept netlink socket (opening it if need be); after an error the socket is closed, so no stale reply can linger. */
function withSocket<T>(diag: SockDiag, use: (fd: number) => T): T {
	diag.fd ??= openDiagSocket(diag.netnsPid);
	try {
		return use(diag.fd);
	} catch (error) {
		closeSockDiag(diag);
		throw error;
	}
}

function labSockets(sockets: DiagSocket[], serverPort: number): Array<{socket: DiagSocket; reading: SockDiagReading}> {
	const found: Array<{socket: DiagSocket; reading: SockDiagReading}> = [];
	for (const socket of sockets) {
		const reading = toSockDiagReading(socket, serverPort);
		if (reading) {
			found.push({socket, reading});
		}
	}

	return found;
}

/**
 * The kernel's readings of the lab's two connection sockets right now, in the network
 * namespace of the calling process. Synchronous.
 *
 * A dump walks the kernel's whole established-socket hash table, which network
 * namespaces share unless net.ipv4.tcp_child_ehash_entries gives them their own (262144
 * buckets here: ~250–300 µs). So a read dumps only every `rescanMs`; in between it looks
 * the sockets of the last dump up by address, ports and cookie (two hash lookups,
 * ~20 µs). A socket that is gone makes that read a dump again; one that appeared is
 * found by the next dump.
 */
export function readSockDiag(serverPort: number, options: SockDiagOptions = {}, diag: SockDiag = own): SockDiagReading[] {
	const ipv6 = options.ipv6 ?? false;
	const rescanMs = options.rescanMs ?? 1000;
	const now = performance.now();
	return withSocket(diag, (fd) => {
		const {tracked} = diag;
		if (tracked && tracked.serverPort === serverPort && tracked.ipv6 === ipv6 && now - tracked.dumpedAt < rescanMs) {
			const readings: SockDiagReading[] = [];
			for (const socket of tracked.sockets) {
				const current = lookup(fd, socket);
				const reading = current && toSockDiagReading(current, serverPort);
				if (!reading) {
					break;
				}

				readings.push(reading);
			}

			if (readings.length === tracked.sockets.length) {
				return readings;
			}
		}

		const bytes = ipv6 ? Buffer.concat([dump(fd, AF_INET), dump(fd, AF_INET6)]) : dump(fd, AF_INET);
		const walk = walkSockDiag(bytes);
		const found = labSockets(walk.sockets, serverPort);
		diag.tracked = found.length > 0 ? {serverPort, ipv6, sockets: found.map(({socket}) => socket), dumpedAt: now} : undefined;
		return found.map(({reading}) => reading);
	});
}

/** Closes the kept netlink socket, if open, and forgets the sockets it tracked (the next read opens a new one). */
export function closeSockDiag(diag: SockDiag = own): void {
	diag.tracked = undefined;
	if (diag.fd !== undefined) {
		const fd = diag.fd;
		diag.fd = undefined;
		closeFd(fd);
	}
}
