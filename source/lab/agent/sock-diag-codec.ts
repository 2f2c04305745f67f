/**
 * NETLINK_SOCK_DIAG's messages, pure: the request for a dump or a lookup, and the walk of
 * the reply into the lab's readings. The socket that sends and receives them is
 * sock-diag.ts; what the values mean for keepalive is explained there.
 */

import {constants} from 'node:os';
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
	/** The raw tcp_info values sinceRecvMs and probesOut come from, and the retransmission state, when there is tcp_info. */
	tcpInfo?: TcpInfo;
	/** Ports and inode, to tell sockets apart. */
	localPort: number;
	remotePort: number;
	inode: number;
};

// --- protocol constants (include/uapi/linux/{netlink,sock_diag,inet_diag,tcp}.h) -------
export const AF_INET = 2;
export const AF_INET6 = 10;
const IPPROTO_TCP = 6;

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

/** struct tcp_info offsets (checked against the uapi header with offsetof). */
const TCPI_RETRANSMITS = 2;
const TCPI_PROBES = 3;
const TCPI_BACKOFF = 4;
const TCPI_RTO = 8;
const TCPI_UNACKED = 24;
const TCPI_LAST_DATA_RECV = 52;
const TCPI_LAST_ACK_RECV = 56;
const TCPI_MIN_LEN = TCPI_LAST_ACK_RECV + 4;
/** tcpi_total_retrans came later (Linux 3.x); older kernels send a shorter struct. */
const TCPI_TOTAL_RETRANS = 100;

/** The fields of struct tcp_info the lab reads. */
export type TcpInfo = {
	probes: number;
	lastDataRecvMs: number;
	lastAckRecvMs: number;
	/** icsk_retransmits, icsk_backoff, icsk_rto (µs), packets_out, and total_retrans where the kernel sends it. */
	retransmits: number;
	backoff: number;
	rtoUs: number;
	unacked: number;
	totalRetrans?: number;
};


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
	tcpInfo?: TcpInfo & {state: number};
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
				retransmits: view.getUint8(info + TCPI_RETRANSMITS),
				backoff: view.getUint8(info + TCPI_BACKOFF),
				rtoUs: view.getUint32(info + TCPI_RTO, true),
				unacked: view.getUint32(info + TCPI_UNACKED, true),
				...(length - 4 >= TCPI_TOTAL_RETRANS + 4 ? {totalRetrans: view.getUint32(info + TCPI_TOTAL_RETRANS, true)} : {}),
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
		...(info ? {tcpInfo: withoutState(info)} : {}),
		localPort: socket.localPort,
		remotePort: socket.remotePort,
		inode: socket.inode,
	};
}

function withoutState({state: _state, ...info}: TcpInfo & {state: number}): TcpInfo {
	return info;
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
export function errnoName(errno: number): string {
	const name = Object.entries(constants.errno).find(([, value]) => value === errno)?.[0];
	return name ? `errno ${errno} (${name})` : `errno ${errno}`;
}

/** The same reading in the shape of proc-tcp.ts's KernelReading (dueIn in seconds). */
export function toKernelReading(reading: SockDiagReading): KernelReading {
	const {side, state, timer, probesOut, sinceRecvMs, tcpInfo: info} = reading;
	return {
		side,
		state,
		timer,
		dueIn: reading.dueInMs / 1000,
		probesOut,
		...(sinceRecvMs === undefined ? {} : {sinceRecv: sinceRecvMs / 1000}),
		...(info
			? {
					retransmits: info.retransmits,
					rto: Math.round(info.rtoUs / 1000) / 1000,
					backoff: info.backoff,
					unacked: info.unacked,
					...(info.totalRetrans === undefined ? {} : {totalRetrans: info.totalRetrans}),
				}
			: {}),
	};
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
