import type {PacketEvent, SegmentKind, Side, TcpFlag} from '../../shared/events.js';
import type {TcpSegment} from './frame.js';

/** What Wireshark's TCP analysis (epan/dissectors/packet-tcp.c) remembers about one direction. */
export type Flow = {
	/** The ISN from this side's SYN; seq − 1 of its first segment when no SYN was seen; null before. */
	readonly base: number | null;
	/** Next expected seq: the highest seq + len (+1 for SYN/FIN) seen so far; null before. */
	readonly nextSeq: number | null;
	/** Raw ack and window of this direction's last segment; null before. */
	readonly lastAck: number | null;
	readonly window: number | null;
	/** Whether this direction's last segment was a keepalive. */
	readonly lastWasKeepalive: boolean;
};

/** Analysis state of one connection, keyed by side. */
export type Conversation = {
	readonly serverPort: number;
	readonly server: Flow;
	readonly client: Flow;
};

const emptyFlow: Flow = {base: null, nextSeq: null, lastAck: null, window: null, lastWasKeepalive: false};

export function initialConversation(serverPort: number): Conversation {
	return {serverPort, server: emptyFlow, client: emptyFlow};
}

/** a − b in sequence space, as a uint32. */
const minus = (a: number, b: number): number => (a - b) >>> 0;
/** Wireshark's GT_SEQ: a is after b, modulo 2^32. */
const after = (a: number, b: number): boolean => ((a - b) | 0) > 0;

/**
 * Classifies the next segment of one connection, Wireshark's way, and returns
 * the new state beside it. The input state is never changed.
 */
export function classify(
	conv: Conversation,
	seg: TcpSegment,
): {conv: Conversation; packet: Omit<PacketEvent, 't'>} {
	const from: Side = seg.srcPort === conv.serverPort ? 'server' : 'client';
	const to: Side = from === 'server' ? 'client' : 'server';
	const has = (flag: TcpFlag) => seg.flags.includes(flag);
	const syn = has('SYN');
	const fin = has('FIN');
	const rst = has('RST');
	const ackFlag = has('ACK');
	const len = seg.payloadLength;

	// Wireshark starts at 1 when the SYN was missed, and takes the other side's base from the first ACK.
	const base = conv[from].base ?? (syn ? seg.seq : minus(seg.seq, 1));
	let fwd: Flow = {...conv[from], base};
	const rev: Flow = conv[to].base === null && ackFlag ? {...conv[to], base: minus(seg.ack, 1)} : conv[to];

	const plain = !syn && !fin && !rst;
	const keepalive = plain && len <= 1 && fwd.nextSeq !== null && seg.seq === minus(fwd.nextSeq, 1);
	// As Wireshark: the other direction's last segment (not the conversation's) was a keepalive.
	const keepaliveAck =
		plain &&
		len === 0 &&
		seg.window !== 0 &&
		seg.window === fwd.window &&
		seg.seq === fwd.nextSeq &&
		seg.ack === fwd.lastAck &&
		rev.lastWasKeepalive;

	// As Wireshark: data, SYN or FIN that starts before the next expected seq, unless a keepalive
	// (its analysis also sets it for fast and spurious retransmissions; out-of-order needs timing it has and we skip).
	const retransmission = (len > 0 || syn || fin) && !keepalive && fwd.nextSeq !== null && after(fwd.nextSeq, seg.seq);
	const kind = kindOf({rst, syn, ackFlag, fin, keepalive, keepaliveAck, retransmission, len});

	// Only a segment that reaches past nextSeq moves it, so a keepalive's garbage byte never does.
	const end = (seg.seq + len + (syn || fin ? 1 : 0)) >>> 0;
	const nextSeq = fwd.nextSeq === null || after(end, fwd.nextSeq) ? end : fwd.nextSeq;
	fwd = {...fwd, nextSeq, lastAck: seg.ack, window: seg.window, lastWasKeepalive: keepalive};

	const packet: Omit<PacketEvent, 't'> = {
		type: 'packet',
		from,
		flags: [...seg.flags],
		seq: seg.seq,
		ack: seg.ack,
		relSeq: minus(seg.seq, base),
		relAck: ackFlag && rev.base !== null ? minus(seg.ack, rev.base) : 0,
		len,
		kind,
	};
	const next = from === 'server' ? {server: fwd, client: rev} : {server: rev, client: fwd};
	return {conv: {serverPort: conv.serverPort, ...next}, packet};
}

/** The first test that matches wins: RST over SYN over a retransmission over FIN over the keepalive tests. */
function kindOf(s: {
	rst: boolean;
	syn: boolean;
	ackFlag: boolean;
	fin: boolean;
	keepalive: boolean;
	keepaliveAck: boolean;
	retransmission: boolean;
	len: number;
}): SegmentKind {
	if (s.rst) return 'rst';
	if (s.syn) return s.ackFlag ? 'syn-ack' : 'syn';
	if (s.retransmission) return 'retransmission';
	if (s.fin) return 'fin';
	if (s.keepalive) return 'keepalive';
	if (s.keepaliveAck) return 'keepalive-ack';
	return s.len > 0 ? 'data' : 'ack';
}
