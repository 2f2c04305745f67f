/** A minimal classic-pcap reader for tests: both byte orders, micro- or nanosecond stamps. */
export type PcapFile = {
	snaplen: number;
	linktype: number;
	records: Array<{tsMicros: number; frame: Buffer; origLen: number}>;
};

export function readPcap(file: Buffer): PcapFile {
	const magic = file.readUInt32LE(0);
	const littleEndian = magic === 0xa1_b2_c3_d4 || magic === 0xa1_b2_3c_4d;
	const swapped = file.readUInt32BE(0);
	if (!littleEndian && swapped !== 0xa1_b2_c3_d4 && swapped !== 0xa1_b2_3c_4d) {
		throw new Error(`not a classic pcap file (magic 0x${magic.toString(16)})`);
	}

	const u32 = (offset: number) => (littleEndian ? file.readUInt32LE(offset) : file.readUInt32BE(offset));
	const nanos = (littleEndian ? magic : swapped) === 0xa1_b2_3c_4d;
	const records: PcapFile['records'] = [];
	for (let offset = 24; offset < file.byteLength; ) {
		const included = u32(offset + 8);
		if (offset + 16 + included > file.byteLength) throw new Error(`pcap record at byte ${offset} is cut short`);
		const fraction = u32(offset + 4);
		records.push({
			tsMicros: u32(offset) * 1_000_000 + (nanos ? Math.floor(fraction / 1000) : fraction),
			frame: file.subarray(offset + 16, offset + 16 + included),
			origLen: u32(offset + 12),
		});
		offset += 16 + included;
	}

	return {snaplen: u32(16), linktype: u32(20), records};
}
