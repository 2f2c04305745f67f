/**
 * Packet capture without tcpdump: a raw AF_PACKET socket opened through libc and read
 * with fs.read, which blocks one of libuv's pool threads instead of this one (a worker
 * thread would do the same for ten more MiB and a slower start). Runs inside the lab's
 * network namespace, as real root or as root of a user namespace alike (it needs
 * CAP_NET_RAW there, nothing more).
 *
 * SO_RCVTIMEO makes each read give up after 200 ms (EAGAIN), so an idle capture costs
 * no CPU and still notices a stop within 200 ms. Right after each read, before the next
 * is issued, ioctl(SIOCGSTAMP) gives the kernel's own receive timestamp of that frame
 * in microseconds since the epoch, the clock tcpdump shows. Each frame arrives once
 * (lo's outgoing copies are ignored).
 */

import {read} from 'node:fs';
import {closeFd, DataType, type Errno, intValue, libc, SO_RCVBUF, SO_RCVTIMEO, SOL_SOCKET, setsockopt, timeval} from '../shared/libc.js';
import {inNetns} from './netns.js';

export type Capture = {
	/**
	 * Stops reading and closes the socket (within about 200 ms). Frames read before the
	 * stop are still delivered before it resolves; none after. Rejects with the capture's
	 * error if it failed while running and no onError was given. Safe to call twice.
	 */
	stop(): Promise<void>;
	/** Frames delivered so far. */
	readonly frames: number;
	/**
	 * Of those, frames the kernel had not stamped on arrival (its receive timestamps were
	 * not switched on yet); their time is the kernel's clock when they were read, at most
	 * the read's latency late. Expected 0.
	 */
	readonly unstamped: number;
};

export type CaptureOptions = {
	/** Called if the capture fails after it started; it has stopped by then. */
	onError?: (error: Error) => void;
	/** How long one blocking read waits before checking for a stop (ms); default 200. */
	readTimeoutMs?: number;
	/** Only this interface's frames (its index in the socket's namespace); default 0, every interface. */
	ifindex?: number;
	/**
	 * Skip frames the namespace sends (default true). On `lo` each frame passes twice, out
	 * and in; on a veth a frame this namespace sends passes only outgoing, so it must be kept.
	 */
	ignoreOutgoing?: boolean;
	/** Capture in the network namespace of this process instead of the agent's own. */
	netnsPid?: number;
};

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

/** struct sockaddr_ll (20 bytes) that binds to one interface (0: every one) for every protocol. */
function sockaddrAll(ifindex: number): Buffer {
	const buffer = Buffer.alloc(20);
	buffer.writeUInt16LE(AF_PACKET, 0); // sll_family
	buffer.writeUInt16BE(ETH_P_ALL, 2); // sll_protocol, network byte order
	buffer.writeInt32LE(ifindex, 4); // sll_ifindex
	return buffer;
}

const ioctlStamp = (fd: number, into: Buffer): Errno => libc('ioctl', [DataType.I32, DataType.I64, DataType.U8Array], [fd, SIOCGSTAMP, into]);

/** A bound packet socket, or why there is none (its descriptor closed again). */
async function openPacketSocket(options: CaptureOptions): Promise<number> {
	// Protocol 0: the socket receives nothing until bind() below, so no frame can
	// arrive before PACKET_IGNORE_OUTGOING is set (it would be seen twice on lo).
	const open = () => libc('socket', [DataType.I32, DataType.I32, DataType.I32], [AF_PACKET, SOCK_RAW, 0]);
	// Only socket() needs the namespace: bind and reads act on the socket's own.
	const socket = options.netnsPid === undefined ? open() : inNetns(options.netnsPid, open);
	if (socket.value < 0) {
		throw new Error(`packet capture: socket(AF_PACKET, SOCK_RAW) failed: ${socket.errnoMessage} (a raw packet socket needs CAP_NET_RAW in the network namespace)`);
	}

	const fd = socket.value;
	const check = (result: Errno, what: string) => {
		if (result.value === 0) return;
		closeFd(fd);
		throw new Error(`packet capture: ${what} failed: ${result.errnoMessage}`);
	};

	if (options.ignoreOutgoing ?? true) check(setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, intValue(1)), 'setsockopt(PACKET_IGNORE_OUTGOING) (needs Linux 4.20 or newer)');
	check(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval(options.readTimeoutMs ?? 200)), 'setsockopt(SO_RCVTIMEO)');
	// A larger queue for bursts; the kernel caps it at net.core.rmem_max, and it is no error if it does.
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, intValue(4 * 1024 * 1024));
	// Switch on the kernel's receive timestamps (net_enable_timestamp) before the first
	// frame: until they are on, a frame is not stamped on arrival and SIOCGSTAMP would
	// report the time of the ioctl instead. The first SIOCGSTAMP on a socket turns them
	// on (here it fails with ENOENT: nothing read yet); the kernel flips the switch from
	// a work queue, so give it a moment before arming.
	ioctlStamp(fd, Buffer.alloc(16));
	await new Promise(resolve => setTimeout(resolve, timestampsSettleMs));
	const address = sockaddrAll(options.ifindex ?? 0);
	check(libc('bind', [DataType.I32, DataType.U8Array, DataType.I32], [fd, address, address.length]), 'bind(AF_PACKET, ETH_P_ALL)');
	return fd;
}

/**
 * Opens the capture. Resolves once the socket is open and bound, so that no frame sent
 * after that is missed; rejects (with the reason, e.g. EPERM) if it cannot be opened.
 */
export async function startCapture(
	onFrame: (frame: Uint8Array, tsMicros: number) => void,
	options: CaptureOptions = {},
): Promise<Capture> {
	const fd = await openPacketSocket(options);
	let frames = 0;
	let unstamped = 0;
	let failure: Error | undefined;
	let stopRequested = false;
	let closed!: () => void;
	const done = new Promise<void>(resolve => {
		closed = resolve;
	});

	const frame = Buffer.allocUnsafeSlow(FRAME_BUFFER_SIZE);
	const stamp = Buffer.alloc(16);
	const now = Buffer.alloc(16);
	const end = (error?: Error) => {
		closeFd(fd);
		if (error && !stopRequested) {
			failure = error;
			options.onError?.(error);
		}

		closed();
	};

	// One read at a time: SIOCGSTAMP answers for the frame read last.
	const next = () => {
		if (stopRequested) {
			end();
			return;
		}

		read(fd, frame, 0, frame.length, null, (error, length) => {
			if (error) {
				const {code} = error;
				if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') next();
				else end(new Error(`packet capture: reading the packet socket failed: ${error.message}`));
				return;
			}

			if (length > 0 && !stopRequested) {
				// The kernel's clock as the read returned, then its timestamp of the frame just read.
				libc('clock_gettime', [DataType.I32, DataType.U8Array], [CLOCK_REALTIME, now]);
				const r = ioctlStamp(fd, stamp);
				if (r.value !== 0) {
					end(new Error(`packet capture: ioctl(SIOCGSTAMP) failed: ${r.errnoMessage}`));
					return;
				}

				const readAt = Number(now.readBigInt64LE(0)) * 1_000_000 + Math.floor(Number(now.readBigInt64LE(8)) / 1000);
				const stampedAt = Number(stamp.readBigInt64LE(0)) * 1_000_000 + Number(stamp.readBigInt64LE(8));
				// A real arrival stamp comes before the read returned. One after it means the frame
				// was not stamped on arrival and SIOCGSTAMP answered with the time of the ioctl: use
				// the (earlier) time of the read instead, and say so.
				const stamped = stampedAt <= readAt;
				frames++;
				if (!stamped) unstamped++;
				onFrame(new Uint8Array(frame.subarray(0, length)), stamped ? stampedAt : readAt);
			}

			next();
		});
	};

	next();
	return {
		async stop() {
			stopRequested = true;
			await done;
			if (failure && !options.onError) throw failure;
		},
		get frames() {
			return frames;
		},
		get unstamped() {
			return unstamped;
		},
	};
}
