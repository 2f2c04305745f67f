/**
 * ctnetlink, the netlink interface `conntrack -L` uses, encoded and decoded by hand
 * (pure, for tests): one dump request for the IPv4 table, and the entries of the reply
 * with what the lab shows of each (both tuples, the TCP state, the seconds left).
 * Layouts from include/uapi/linux/netfilter/nfnetlink_conntrack.h; netlink's own
 * headers are host byte order, ctnetlink's values network byte order.
 */

const NLMSG_HDRLEN = 16;
const NFGENMSG_LEN = 4;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300;
const NFNL_SUBSYS_CTNETLINK = 1;
const IPCTNL_MSG_CT_GET = 1;
const AF_INET = 2;
const NLA_TYPE_MASK = 0x3fff;

// enum ctattr_type, ctattr_tuple, ctattr_ip, ctattr_l4proto, ctattr_protoinfo(_tcp)
const CTA_TUPLE_ORIG = 1;
const CTA_TUPLE_REPLY = 2;
const CTA_PROTOINFO = 4;
const CTA_TIMEOUT = 7;
const CTA_TUPLE_IP = 1;
const CTA_TUPLE_PROTO = 2;
const CTA_IP_V4_SRC = 1;
const CTA_IP_V4_DST = 2;
const CTA_PROTO_NUM = 1;
const CTA_PROTO_SRC_PORT = 2;
const CTA_PROTO_DST_PORT = 3;
const CTA_PROTOINFO_TCP = 1;
const CTA_PROTOINFO_TCP_STATE = 1;

/** enum tcp_conntrack, named as `conntrack -L` prints them. */
const tcpStates = ['NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2'];

export type Tuple = {src: string; dst: string; protocol: number; srcPort: number; dstPort: number};

export type ConntrackEntry = {
	original: Tuple;
	/** The way back, as the NAT rewrote it: its dst is the address and port the server sees the client as. */
	reply: Tuple;
	/** TCP only. */
	state?: string;
	/** Whole seconds until the entry expires, as the kernel rounds them down. */
	timeout: number;
};

export type ConntrackDump = {entries: ConntrackEntry[]; done: boolean; errno?: number};

/** The dump request of every IPv4 conntrack entry. */
export function conntrackDumpRequest(seq: number): Buffer {
	const buffer = Buffer.alloc(NLMSG_HDRLEN + NFGENMSG_LEN);
	buffer.writeUInt32LE(buffer.length, 0);
	buffer.writeUInt16LE((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET, 4);
	buffer.writeUInt16LE(NLM_F_REQUEST | NLM_F_DUMP, 6);
	buffer.writeUInt32LE(seq, 8);
	buffer.writeUInt8(AF_INET, NLMSG_HDRLEN); // nfgen_family; version 0 (NFNETLINK_V0), res_id 0
	return buffer;
}

const align = (n: number) => (n + 3) & ~3;

/** The attributes between start and end, by type (the nested flag masked off). */
function attributes(view: DataView, start: number, end: number): Map<number, {start: number; end: number}> {
	const found = new Map<number, {start: number; end: number}>();
	for (let at = start; at + 4 <= end; ) {
		const length = view.getUint16(at, true);
		if (length < 4 || at + length > end) break;
		found.set(view.getUint16(at + 2, true) & NLA_TYPE_MASK, {start: at + 4, end: at + length});
		at += align(length);
	}

	return found;
}

const ipv4 = (view: DataView, at: number) => [0, 1, 2, 3].map(i => view.getUint8(at + i)).join('.');

function parseTuple(view: DataView, span: {start: number; end: number}): Tuple | undefined {
	const tuple = attributes(view, span.start, span.end);
	const ip = tuple.get(CTA_TUPLE_IP);
	const proto = tuple.get(CTA_TUPLE_PROTO);
	if (!ip || !proto) return undefined;
	const ips = attributes(view, ip.start, ip.end);
	const l4 = attributes(view, proto.start, proto.end);
	const src = ips.get(CTA_IP_V4_SRC);
	const dst = ips.get(CTA_IP_V4_DST);
	const num = l4.get(CTA_PROTO_NUM);
	if (!src || !dst || !num) return undefined;
	const port = (type: number) => {
		const span = l4.get(type);
		return span ? view.getUint16(span.start) : 0;
	};

	return {src: ipv4(view, src.start), dst: ipv4(view, dst.start), protocol: view.getUint8(num.start), srcPort: port(CTA_PROTO_SRC_PORT), dstPort: port(CTA_PROTO_DST_PORT)};
}

function tcpState(view: DataView, span: {start: number; end: number} | undefined): string | undefined {
	const tcp = span && attributes(view, span.start, span.end).get(CTA_PROTOINFO_TCP);
	const state = tcp && attributes(view, tcp.start, tcp.end).get(CTA_PROTOINFO_TCP_STATE);
	if (!state) return undefined;
	const value = view.getUint8(state.start);
	return tcpStates[value] ?? String(value);
}

/** The entries in one or more reply datagrams, and whether the dump ended (NLMSG_DONE) or failed (NLMSG_ERROR). */
export function parseConntrackDump(bytes: Uint8Array): ConntrackDump {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const entries: ConntrackEntry[] = [];
	for (let at = 0; at + NLMSG_HDRLEN <= bytes.byteLength; ) {
		const length = view.getUint32(at, true);
		if (length < NLMSG_HDRLEN || at + length > bytes.byteLength) break;
		const type = view.getUint16(at + 4, true);
		if (type === NLMSG_DONE) return {entries, done: true};
		if (type === NLMSG_ERROR) {
			const errno = -view.getInt32(at + NLMSG_HDRLEN, true);
			// errno 0 is an acknowledgement, not a failure.
			return errno === 0 ? {entries, done: true} : {entries, done: true, errno};
		}

		if (type >> 8 === NFNL_SUBSYS_CTNETLINK) {
			const found = attributes(view, at + NLMSG_HDRLEN + NFGENMSG_LEN, at + length);
			const orig = found.get(CTA_TUPLE_ORIG);
			const reply = found.get(CTA_TUPLE_REPLY);
			const timeout = found.get(CTA_TIMEOUT);
			const original = orig && parseTuple(view, orig);
			const back = reply && parseTuple(view, reply);
			const state = tcpState(view, found.get(CTA_PROTOINFO));
			if (original && back) entries.push({original, reply: back, timeout: timeout ? view.getUint32(timeout.start) : 0, ...(state === undefined ? {} : {state})});
		}

		at += align(length);
	}

	return {entries, done: false};
}
