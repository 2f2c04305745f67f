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
 * socket is created in), and needs no privilege: an unprivileged user, or root of a user
 * namespace, may dump every TCP socket of its namespace with tcp_info included.
 */

import {readSync, writeSync} from 'node:fs';
import {constants} from 'node:os';
import {DataType, load, open} from 'ffi-rs';
import type {KernelReading, Side, TimerKind} from '../shared/events.js';
import {labSideOf, tcpStateName, timerKindOf} from './proc-tcp.js';

/** One of the lab's connection sockets as sock_diag reports it. */
export type SockDiagReading = {
	side: Side;
	/** TCP state name as proc-tcp.ts names it (ESTABLISHED, TIME_WAIT, …). */
	state: string;
	/** The pending timer, with /proc/net/tcp's codes: idiag_timer 0 none, 1 retransmit, 2 keepalive, 3 timewait, 4 probe. */
	timer: TimerKind;
	/** idiag_expires: milliseconds until that timer fires (0 when none, due or past due). */
	dueInMs: number;
	/**
	 * icsk_probes_out, the probes sent and not answered: tcp_info's tcpi_probes when the
	 * socket has tcp_info, else idiag_retrans when the timer is keepalive or probe
	 * (the kernel puts icsk_probes_out there for those two), else 0.
	 */
	probesOut: number;
	/**
	 * Milliseconds since the socket last received a segment (data or bare ACK):
	 * min(tcpi_last_data_recv, tcpi_last_ack_recv). Undefined for sockets without tcp_info
	 * (TIME_WAIT and request sockets).
	 */
	sinceRecvMs: number | undefined;
	/** The raw tcp_info values sinceRecvMs and probesOut come from, when there is tcp_info. */
	tcpInfo?: {lastDataRecvMs: number; lastAckRecvMs: number; probes: number};
	/** Ports and inode, to tell sockets apart. */
	localPort: number;
	remotePort: number;
	inode: number;
};

// --- protocol constants (include/uapi/linux/{netlink,sock_diag,inet_diag,tcp}.h) -------
const AF_NETLINK = 16;
const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const NETLINK_SOCK_DIAG = 4;
const IPPROTO_TCP = 6;
const SOL_SOCKET = 1;
const SO_RCVTIMEO = 20;

const NLMSG_HDRLEN = 16;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300;
const SOCK_DIAG_BY_FAMILY = 20;

/** sizeof(struct inet_diag_req_v2): 8 bytes of header + struct inet_diag_sockid (48). */
const INET_DIAG_REQ_V2_LEN = 56;
/** sizeof(struct inet_diag_sockid). */
const INET_DIAG_SOCKID_LEN = 48;
/** sizeof(struct inet_diag_msg). */
const INET_DIAG_MSG_LEN = 72;
const INET_DIAG_INFO = 2;
/** rtattr type bits that are flags, not the type (NLA_F_NESTED | NLA_F_NET_BYTEORDER). */
const NLA_TYPE_MASK = 0x3fff;
const ENOENT = 2;

/** struct tcp_info offsets (checked against the uapi header with offsetof). */
const TCPI_PROBES = 3;
const TCPI_LAST_DATA_RECV = 52;
const TCPI_LAST_ACK_RECV = 56;
const TCPI_MIN_LEN = TCPI_LAST_ACK_RECV + 4;

/** One datagram of a dump is at most about 32 KiB; 64 KiB leaves room (a short buffer would truncate it). */
const RECV_BUFFER_SIZE = 64 * 1024;
/** A read that waits longer than this fails (a dump's replies are queued at once; this only bounds a kernel gone odd). */
const RECV_TIMEOUT_MS = 1000;
/** Upper bound on datagrams per dump: the lab's namespace holds a handful of sockets. */
const MAX_DATAGRAMS = 10_000;

// --- parsing (pure) --------------------------------------------------------------

/** A socket of the dump, with every field the lab may use. */
export type DiagSocket = {
	family: number;
	stateCode: number;
	timerCode: number;
	retrans: number;
	localPort: number;
	remotePort: number;
	expiresMs: number;
	rqueue: number;
	wqueue: number;
	uid: number;
	inode: number;
	/** The socket's struct inet_diag_sockid as the kernel sent it (48 bytes, cookie included): the key of an exact lookup. */
	sockid: Uint8Array;
	tcpInfo?: {state: number; probes: number; lastDataRecvMs: number; lastAckRecvMs: number};
};

/** What walking a run of netlink messages found. */
export type DiagWalk = {
	sockets: DiagSocket[];
	/** NLMSG_DONE was among the messages. */
	done: boolean;
	/** The errno of an NLMSG_ERROR with a non-zero error, if any (positive, e.g. 13 for EACCES). */
	errno?: number;
};

function parseInetDiagMsg(view: DataView, start: number, end: number): DiagSocket | undefined {
	if (end - start < INET_DIAG_MSG_LEN) {
		return undefined;
	}

	const socket: DiagSocket = {
		family: view.getUint8(start),
		stateCode: view.getUint8(start + 1),
		timerCode: view.getUint8(start + 2),
		retrans: view.getUint8(start + 3),
		// struct inet_diag_sockid at +4: ports in network byte order.
		localPort: view.getUint16(start + 4, false),
		remotePort: view.getUint16(start + 6, false),
		expiresMs: view.getUint32(start + 52, true),
		rqueue: view.getUint32(start + 56, true),
		wqueue: view.getUint32(start + 60, true),
		uid: view.getUint32(start + 64, true),
		inode: view.getUint32(start + 68, true),
		sockid: new Uint8Array(view.buffer.slice(view.byteOffset + start + 4, view.byteOffset + start + 4 + INET_DIAG_SOCKID_LEN)),
	};

	// Attributes: struct rtattr {u16 rta_len; u16 rta_type}, each padded to 4 bytes.
	let offset = start + INET_DIAG_MSG_LEN;
	while (offset + 4 <= end) {
		const length = view.getUint16(offset, true);
		const type = view.getUint16(offset + 2, true) & NLA_TYPE_MASK;
		if (length < 4 || offset + length > end) {
			break;
		}

		if (type === INET_DIAG_INFO && length - 4 >= TCPI_MIN_LEN) {
			const info = offset + 4;
			socket.tcpInfo = {
				state: view.getUint8(info),
				probes: view.getUint8(info + TCPI_PROBES),
				lastDataRecvMs: view.getUint32(info + TCPI_LAST_DATA_RECV, true),
				lastAckRecvMs: view.getUint32(info + TCPI_LAST_ACK_RECV, true),
			};
		}

		offset += (length + 3) & ~3;
	}

	return socket;
}

/**
 * Walks netlink messages (one datagram, or several concatenated: each holds whole
 * messages, and the replies of several dumps may follow one another) and parses every
 * SOCK_DIAG_BY_FAMILY reply. Stops at an NLMSG_ERROR; a truncated tail is ignored.
 */
export function walkSockDiag(bytes: Uint8Array): DiagWalk {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const sockets: DiagSocket[] = [];
	let done = false;
	let offset = 0;
	while (offset + NLMSG_HDRLEN <= bytes.byteLength) {
		const length = view.getUint32(offset, true);
		const type = view.getUint16(offset + 4, true);
		if (length < NLMSG_HDRLEN || offset + length > bytes.byteLength) {
			break;
		}

		if (type === NLMSG_DONE) {
			done = true;
		}

		if (type === NLMSG_ERROR) {
			// struct nlmsgerr {int error; struct nlmsghdr msg; …}; error 0 is an ACK.
			const error = length >= NLMSG_HDRLEN + 4 ? view.getInt32(offset + NLMSG_HDRLEN, true) : 0;
			return error === 0 ? {sockets, done: true} : {sockets, done: true, errno: -error};
		}

		if (type === SOCK_DIAG_BY_FAMILY) {
			const socket = parseInetDiagMsg(view, offset + NLMSG_HDRLEN, offset + length);
			if (socket) {
				sockets.push(socket);
			}
		}

		offset += (length + 3) & ~3;
	}

	return {sockets, done};
}

/** The reading of one dumped socket, or undefined if it is not one of the lab's two connection sockets. */
export function toSockDiagReading(socket: DiagSocket, serverPort: number): SockDiagReading | undefined {
	const side = labSideOf(socket, serverPort);
	if (!side) return undefined;

	const timer = timerKindOf(socket.timerCode);
	const info = socket.tcpInfo;
	const probesOut = info ? info.probes : timer === 'keepalive' || timer === 'probe' ? socket.retrans : 0;
	return {
		side,
		state: tcpStateName(socket.stateCode),
		timer,
		dueInMs: socket.expiresMs,
		probesOut,
		sinceRecvMs: info ? Math.min(info.lastDataRecvMs, info.lastAckRecvMs) : undefined,
		...(info ? {tcpInfo: {lastDataRecvMs: info.lastDataRecvMs, lastAckRecvMs: info.lastAckRecvMs, probes: info.probes}} : {}),
		localPort: socket.localPort,
		remotePort: socket.remotePort,
		inode: socket.inode,
	};
}

/**
 * The lab's connection sockets in the reply bytes of sock_diag dumps (the datagrams,
 * concatenated): local port === serverPort is the server's, remote port ===
 * serverPort the client's; LISTEN sockets and other connections are skipped. Throws if
 * the reply is an error.
 */
export function parseSockDiag(bytes: Uint8Array, serverPort: number): SockDiagReading[] {
	const walk = walkSockDiag(bytes);
	if (walk.errno !== undefined) {
		throw new Error(`sock_diag request failed: ${errnoName(walk.errno)}`);
	}

	const readings: SockDiagReading[] = [];
	for (const socket of walk.sockets) {
		const reading = toSockDiagReading(socket, serverPort);
		if (reading) {
			readings.push(reading);
		}
	}

	return readings;
}

/** "errno 2 (ENOENT)". */
function errnoName(errno: number): string {
	const name = Object.entries(constants.errno).find(([, value]) => value === errno)?.[0];
	return name ? `errno ${errno} (${name})` : `errno ${errno}`;
}

/** The same reading in the shape of proc-tcp.ts's KernelReading (dueIn in seconds). */
export function toKernelReading(reading: SockDiagReading): KernelReading {
	const {side, state, timer, probesOut, sinceRecvMs} = reading;
	return {side, state, timer, dueIn: reading.dueInMs / 1000, probesOut, ...(sinceRecvMs === undefined ? {} : {sinceRecv: sinceRecvMs / 1000})};
}

/**
 * The request: struct nlmsghdr + struct inet_diag_req_v2 asking, with tcp_info, for
 * every TCP socket of `family` (a dump), or, given a socket's sockid from an earlier
 * reply, for that one socket (an exact lookup: a hash lookup by address, port and
 * interface; the cookie makes sure it is still the same socket).
 */
export function sockDiagRequest(family: number, seq: number, sockid?: Uint8Array): Buffer {
	const request = Buffer.alloc(NLMSG_HDRLEN + INET_DIAG_REQ_V2_LEN);
	request.writeUInt32LE(request.length, 0); // nlmsg_len
	request.writeUInt16LE(SOCK_DIAG_BY_FAMILY, 4); // nlmsg_type
	request.writeUInt16LE(sockid ? NLM_F_REQUEST : NLM_F_REQUEST | NLM_F_DUMP, 6); // nlmsg_flags
	request.writeUInt32LE(seq >>> 0, 8); // nlmsg_seq
	request.writeUInt32LE(0, 12); // nlmsg_pid: the kernel
	request.writeUInt8(family, 16); // sdiag_family
	request.writeUInt8(IPPROTO_TCP, 17); // sdiag_protocol
	request.writeUInt8(1 << (INET_DIAG_INFO - 1), 18); // idiag_ext: tcp_info
	request.writeUInt32LE(0xffffffff, 20); // idiag_states: all (TIME_WAIT and request sockets included)
	// struct inet_diag_sockid: zero for a dump (which then matches any port)
	if (sockid) {
		request.set(sockid.subarray(0, INET_DIAG_SOCKID_LEN), 24);
	}

	return request;
}

// --- the netlink socket (ffi-rs) -------------------------------------------------------

const library = 'ka-sockdiag-libc';
let libraryOpen = false;

type Errno = {value: number; errnoCode: number; errnoMessage: string};

function libc(funcName: string, paramsType: DataType[], paramsValue: unknown[]): Errno {
	if (!libraryOpen) {
		open({library, path: ''});
		libraryOpen = true;
	}

	return load({library, funcName, retType: DataType.I32, paramsType, paramsValue, errno: true}) as Errno;
}

/** close(2) through libc: fs.closeSync would warn about a descriptor Node did not open. */
function closeFd(fd: number): void {
	libc('close', [DataType.I32], [fd]);
}

function openDiagSocket(): number {
	const socket = libc('socket', [DataType.I32, DataType.I32, DataType.I32], [AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG]);
	if (socket.value < 0) {
		throw new Error(`socket(AF_NETLINK, NETLINK_SOCK_DIAG) failed: ${socket.errnoMessage}`);
	}

	// struct timeval {long tv_sec; long tv_usec} on 64-bit Linux.
	const timeout = Buffer.alloc(16);
	timeout.writeBigInt64LE(BigInt(Math.floor(RECV_TIMEOUT_MS / 1000)), 0);
	timeout.writeBigInt64LE(BigInt((RECV_TIMEOUT_MS % 1000) * 1000), 8);
	const r = libc('setsockopt', [DataType.I32, DataType.I32, DataType.I32, DataType.U8Array, DataType.I32], [
		socket.value,
		SOL_SOCKET,
		SO_RCVTIMEO,
		timeout,
		timeout.length,
	]);
	if (r.value !== 0) {
		closeFd(socket.value);
		throw new Error(`setsockopt(SO_RCVTIMEO) on the sock_diag socket failed: ${r.errnoMessage}`);
	}

	return socket.value;
}

let diagFd: number | undefined;
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
	return withSocket((fd) => {
		const ipv4 = dump(fd, AF_INET);
		return options.ipv6 ? Buffer.concat([ipv4, dump(fd, AF_INET6)]) : ipv4;
	});
}

/** Runs `use` on the kept netlink socket (opening it if need be); after an error the socket is closed, so no stale reply can linger. */
function withSocket<T>(use: (fd: number) => T): T {
	diagFd ??= openDiagSocket();
	try {
		return use(diagFd);
	} catch (error) {
		closeSockDiag();
		throw error;
	}
}

/** The lab's sockets found by the last dump, looked up one by one until the next. */
let tracked: {serverPort: number; ipv6: boolean; sockets: DiagSocket[]; dumpedAt: number} | undefined;

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
export function readSockDiag(serverPort: number, options: SockDiagOptions = {}): SockDiagReading[] {
	const ipv6 = options.ipv6 ?? false;
	const rescanMs = options.rescanMs ?? 1000;
	const now = performance.now();
	return withSocket((fd) => {
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
		tracked = found.length > 0 ? {serverPort, ipv6, sockets: found.map(({socket}) => socket), dumpedAt: now} : undefined;
		return found.map(({reading}) => reading);
	});
}

/** Closes the kept netlink socket, if open, and forgets the sockets it tracked (the next read opens a new one). */
export function closeSockDiag(): void {
	tracked = undefined;
	if (diagFd !== undefined) {
		const fd = diagFd;
		diagFd = undefined;
		closeFd(fd);
	}
}
