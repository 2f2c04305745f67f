/** Classic libpcap file format (not pcapng): what tcpdump -w writes and every tool reads. */

const linktypeEthernet = 1;
export const defaultSnaplen = 65_535;

/** The 24-byte file header: little-endian magic 0xa1b2c3d4 (microsecond stamps), version 2.4. */
export function pcapGlobalHeader(snaplen = defaultSnaplen): Buffer {
	const header = Buffer.alloc(24);
	header.writeUInt32LE(0xa1_b2_c3_d4, 0);
	header.writeUInt16LE(2, 4);
	header.writeUInt16LE(4, 6);
	header.writeInt32LE(0, 8); // thiszone: stamps are UTC
	header.writeUInt32LE(0, 12); // sigfigs
	header.writeUInt32LE(snaplen, 16);
	header.writeUInt32LE(linktypeEthernet, 20);
	return header;
}

/**
 * One record: a 16-byte header and the frame. `tsMicros` is an integer epoch time in
 * microseconds. Frames longer than the file's snaplen are cut to it (readers reject
 * longer records); orig_len keeps the real length. `lo`'s 64 KiB MTU can exceed 65535.
 */
export function pcapRecord(tsMicros: number, frame: Uint8Array, snaplen = defaultSnaplen): Buffer {
	if (!Number.isSafeInteger(tsMicros) || tsMicros < 0) {
		throw new RangeError(`pcap timestamp must be a non-negative integer of microseconds; got ${tsMicros}`);
	}

	const seconds = Math.floor(tsMicros / 1_000_000);
	const included = Math.min(frame.byteLength, snaplen);
	const record = Buffer.alloc(16 + included);
	record.writeUInt32LE(seconds, 0);
	record.writeUInt32LE(tsMicros - seconds * 1_000_000, 4);
	record.writeUInt32LE(included, 8);
	record.writeUInt32LE(frame.byteLength, 12);
	record.set(frame.subarray(0, included), 16);
	return record;
}
