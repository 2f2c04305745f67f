/**
 * The packet capture's worker thread (started by capture.ts; runs only from dist/).
 *
 * It opens a raw AF_PACKET socket through ffi-rs calls into libc, then blocks in
 * fs.readSync on it: one frame per read. SO_RCVTIMEO makes each read give up after
 * 200 ms (EAGAIN), so an idle capture costs no CPU and still notices a stop request
 * within 200 ms. Right after each read, ioctl(SIOCGSTAMP) gives the kernel's own
 * timestamp of that frame.
 *
 * Protocol with the parent: a shared Int32Array flag (workerData.stop) that the parent
 * sets to 1 to stop; messages out: ready → frame* → (error) → closed.
 */

import {readSync} from 'node:fs';
import {parentPort, workerData} from 'node:worker_threads';
import {DataType} from 'ffi-rs';
import {closeFd, intValue, libc, SO_RCVBUF, SO_RCVTIMEO, SOL_SOCKET, setsockopt, timeval} from '../shared/libc.js';

export type CaptureWorkerData = {
	/** Int32Array(1) flag: the parent stores 1 to ask the worker to stop. */
	stop: SharedArrayBuffer;
	/** Receive-timeout of each blocking read, in milliseconds. */
	readTimeoutMs: number;
};

export type CaptureWorkerMessage =
	| {type: 'ready'; fd: number}
	/**
	 * One frame (the bytes of exactly that frame, transferred) and its kernel timestamp;
	 * `stamped` is false when the kernel had not stamped it on arrival and tsMicros is
	 * the kernel's clock when it was read.
	 */
	| {type: 'frame'; data: ArrayBuffer; tsMicros: number; stamped: boolean}
	| {type: 'error'; message: string}
	/** The socket is closed; the worker ends right after this. */
	| {type: 'closed'};

// Linux constants (x86_64 / generic).
const AF_PACKET = 17;
const SOCK_RAW = 3;
const ETH_P_ALL = 0x0003;
const SOL_PACKET = 263;
const PACKET_IGNORE_OUTGOING = 23;
const SIOCGSTAMP = 0x8906;
const CLOCK_REALTIME = 0;
/** Big enough for a 64 KiB GSO frame on lo plus its headers. */
const FRAME_BUFFER_SIZE = 128 * 1024;
/** How long to let the kernel switch its receive timestamps on before arming. */
const timestampsSettleMs = 20;

/** struct sockaddr_ll (20 bytes) that binds to every interface for every protocol. */
function sockaddrAll(): Buffer {
	const buffer = Buffer.alloc(20);
	buffer.writeUInt16LE(AF_PACKET, 0); // sll_family
	buffer.writeUInt16BE(ETH_P_ALL, 2); // sll_protocol, network byte order
	buffer.writeInt32LE(0, 4); // sll_ifindex: 0 = all interfaces
	return buffer;
}

function errnoCodeOf(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | undefined)?.code;
}

function run(port: NonNullable<typeof parentPort>, data: CaptureWorkerData): void {
	const post = (message: CaptureWorkerMessage, transfer?: ArrayBuffer[]) => {
		port.postMessage(message, transfer);
	};

	// Protocol 0: the socket receives nothing until bind() below, so no frame can
	// arrive before PACKET_IGNORE_OUTGOING is set (it would be seen twice on lo).
	const socket = libc('socket', [DataType.I32, DataType.I32, DataType.I32], [AF_PACKET, SOCK_RAW, 0]);
	if (socket.value < 0) {
		post({
			type: 'error',
			message: `socket(AF_PACKET, SOCK_RAW) failed: ${socket.errnoMessage} (a raw packet socket needs CAP_NET_RAW in the network namespace)`,
		});
		return;
	}

	const fd = socket.value;
	// Closed through libc: fs.closeSync would warn about a descriptor Node did not open.
	const close = () => {
		closeFd(fd);
		post({type: 'closed'});
	};

	const fail = (message: string) => {
		post({type: 'error', message});
		close();
	};

	let r = setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, intValue(1));
	if (r.value !== 0) {
		fail(`setsockopt(PACKET_IGNORE_OUTGOING) failed: ${r.errnoMessage} (needs Linux 4.20 or newer)`);
		return;
	}

	r = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval(data.readTimeoutMs));
	if (r.value !== 0) {
		fail(`setsockopt(SO_RCVTIMEO) failed: ${r.errnoMessage}`);
		return;
	}

	// A larger queue for bursts; the kernel caps it at net.core.rmem_max, and it is no error if it does.
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, intValue(4 * 1024 * 1024));

	// Switch on the kernel's receive timestamps (net_enable_timestamp) before the first
	// frame: until they are on, a frame is not stamped on arrival and SIOCGSTAMP would
	// report the time of the ioctl instead. The first SIOCGSTAMP on a socket turns them
	// on (here it fails with ENOENT: nothing read yet); the kernel flips the switch from
	// a work queue, so give it a moment before arming.
	libc('ioctl', [DataType.I32, DataType.I64, DataType.U8Array], [fd, SIOCGSTAMP, Buffer.alloc(16)]);
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, timestampsSettleMs);

	const address = sockaddrAll();
	r = libc('bind', [DataType.I32, DataType.U8Array, DataType.I32], [fd, address, address.length]);
	if (r.value !== 0) {
		fail(`bind(AF_PACKET, ETH_P_ALL) failed: ${r.errnoMessage}`);
		return;
	}

	post({type: 'ready', fd});

	const stop = new Int32Array(data.stop);
	const frame = Buffer.allocUnsafeSlow(FRAME_BUFFER_SIZE);
	const stamp = Buffer.alloc(16);
	const now = Buffer.alloc(16);
	while (Atomics.load(stop, 0) === 0) {
		let length: number;
		try {
			length = readSync(fd, frame, 0, frame.length, null);
		} catch (error) {
			const code = errnoCodeOf(error);
			if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') {
				continue;
			}

			fail(`reading the packet socket failed: ${(error as Error).message}`);
			return;
		}

		if (length <= 0) {
			continue;
		}

		// The kernel's clock as the read returned, then its timestamp of the frame just read.
		libc('clock_gettime', [DataType.I32, DataType.U8Array], [CLOCK_REALTIME, now]);
		r = libc('ioctl', [DataType.I32, DataType.I64, DataType.U8Array], [fd, SIOCGSTAMP, stamp]);
		if (r.value !== 0) {
			fail(`ioctl(SIOCGSTAMP) failed: ${r.errnoMessage}`);
			return;
		}

		const readAt = Number(now.readBigInt64LE(0)) * 1_000_000 + Math.floor(Number(now.readBigInt64LE(8)) / 1000);
		const stampedAt = Number(stamp.readBigInt64LE(0)) * 1_000_000 + Number(stamp.readBigInt64LE(8));
		// A real arrival stamp comes before the read returned. One after it means the frame
		// was not stamped on arrival and SIOCGSTAMP answered with the time of the ioctl: use
		// the (earlier) time of the read instead, and say so.
		const stamped = stampedAt <= readAt;
		const bytes = new ArrayBuffer(length);
		new Uint8Array(bytes).set(frame.subarray(0, length));
		post({type: 'frame', data: bytes, tsMicros: stamped ? stampedAt : readAt, stamped}, [bytes]);
	}

	close();
}

if (parentPort) {
	try {
		run(parentPort, workerData as CaptureWorkerData);
	} catch (error) {
		parentPort.postMessage({type: 'error', message: `capture worker: ${(error as Error).message}`} satisfies CaptureWorkerMessage);
	}
}
