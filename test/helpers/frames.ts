import type {TcpFlag} from '../../source/lab/shared/events.js';

export type FrameSpec = {
	srcPort: number;
	dstPort: number;
	seq: number;
	ack?: number;
	flags: TcpFlag[];
	/** Payload bytes, or just how many (filled with 'x'). */
	payload?: Uint8Array | number;
	window?: number;
	/** Bytes of IP / TCP options (multiples of 4), to check that IHL and data offset are honoured. */
	ipOptions?: number;
	tcpOptions?: number;
	/** Bytes after the IP datagram, as on a padded Ethernet link. */
	trailer?: number;
	ethertype?: number;
	ipVersion?: number;
	protocol?: number;
	/** The IP flags + fragment offset field (0x2000 = more fragments). */
	fragment?: number;
};

const flagBit: Record<TcpFlag, number> = {FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128};

/** Builds an Ethernet + IPv4 + TCP frame like the ones AF_PACKET reads on `lo` (zero MACs). */
export function tcpFrame(spec: FrameSpec): Uint8Array {
	const payload =
		typeof spec.payload === 'number' ? new Uint8Array(spec.payload).fill(0x78) : (spec.payload ?? new Uint8Array());
	const ipHeader = 20 + (spec.ipOptions ?? 0);
	const tcpHeader = 20 + (spec.tcpOptions ?? 0);
	const totalLength = ipHeader + tcpHeader + payload.byteLength;
	const frame = new Uint8Array(14 + totalLength + (spec.trailer ?? 0));
	const view = new DataView(frame.buffer);

	view.setUint16(12, spec.ethertype ?? 0x0800);
	const ip = 14;
	view.setUint8(ip, ((spec.ipVersion ?? 4) << 4) | (ipHeader / 4));
	view.setUint16(ip + 2, totalLength);
	view.setUint16(ip + 6, spec.fragment ?? 0x4000); // DF, as Linux sets it
	view.setUint8(ip + 8, 64);
	view.setUint8(ip + 9, spec.protocol ?? 6);
	view.setUint32(ip + 12, 0x7f_00_00_01);
	view.setUint32(ip + 16, 0x7f_00_00_01);

	const tcp = ip + ipHeader;
	view.setUint16(tcp, spec.srcPort);
	view.setUint16(tcp + 2, spec.dstPort);
	view.setUint32(tcp + 4, spec.seq >>> 0);
	view.setUint32(tcp + 8, (spec.ack ?? 0) >>> 0);
	view.setUint8(tcp + 12, (tcpHeader / 4) << 4);
	view.setUint8(tcp + 13, spec.flags.reduce((bits, flag) => bits | flagBit[flag], 0));
	view.setUint16(tcp + 14, spec.window ?? 512);
	frame.set(payload, tcp + tcpHeader);
	return frame;
}
