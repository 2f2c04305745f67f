import type {TcpFlag} from '../../shared/events.js';

/** One TCP segment as read from the wire; seq/ack are raw uint32 values. */
export type TcpSegment = {
	srcPort: number;
	dstPort: number;
	seq: number;
	ack: number;
	flags: TcpFlag[];
	/** TCP payload bytes, from the IP total length (never from the frame length). */
	payloadLength: number;
	/** The raw window field, unscaled. */
	window: number;
};

const ethernetHeaderLength = 14;
const ethertypeIpv4 = 0x0800;
const protocolTcp = 6;

// Bit order of the flags byte, lowest first: the order Wireshark lists them in ("[SYN, ACK]").
const flagBits: readonly TcpFlag[] = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

/**
 * Decodes an Ethernet frame (as AF_PACKET delivers them on `lo`) carrying IPv4/TCP.
 * Returns null for anything else: other ethertypes or protocols, IP fragments
 * other than a whole datagram, bad header lengths, or a frame that ends early.
 */
export function decodeFrame(frame: Uint8Array): TcpSegment | null {
	const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
	if (frame.byteLength < ethernetHeaderLength + 20) return null;
	if (view.getUint16(12) !== ethertypeIpv4) return null;

	const ip = ethernetHeaderLength;
	const versionIhl = view.getUint8(ip);
	if (versionIhl >> 4 !== 4) return null;
	const ipHeaderLength = (versionIhl & 0x0f) * 4;
	const totalLength = view.getUint16(ip + 2);
	// A fragment (MF set or an offset) does not hold a whole TCP segment.
	if ((view.getUint16(ip + 6) & 0x3fff) !== 0) return null;
	if (view.getUint8(ip + 9) !== protocolTcp) return null;
	if (ipHeaderLength < 20 || totalLength < ipHeaderLength + 20) return null;
	if (frame.byteLength < ip + totalLength) return null;

	const tcp = ip + ipHeaderLength;
	const tcpHeaderLength = (view.getUint8(tcp + 12) >> 4) * 4;
	if (tcpHeaderLength < 20 || ipHeaderLength + tcpHeaderLength > totalLength) return null;

	const flagByte = view.getUint8(tcp + 13);
	return {
		srcPort: view.getUint16(tcp),
		dstPort: view.getUint16(tcp + 2),
		seq: view.getUint32(tcp + 4),
		ack: view.getUint32(tcp + 8),
		flags: flagBits.filter((_, bit) => (flagByte & (1 << bit)) !== 0),
		payloadLength: totalLength - ipHeaderLength - tcpHeaderLength,
		window: view.getUint16(tcp + 14),
	};
}
