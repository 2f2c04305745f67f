/**
 * Brings up loopback in the agent's network namespace, as `ip link set lo up` would,
 * without a process to start: two ioctls on a datagram socket (SIOCGIFFLAGS, then
 * SIOCSIFFLAGS with IFF_UP), through libc. A new namespace's `lo` is down; it needs
 * CAP_NET_ADMIN there, which root and root of a user namespace both have.
 */
import {closeFd, DataType, type Errno, libc} from '../shared/libc.js';

const AF_INET = 2;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const SIOCGIFFLAGS = 0x8913;
const SIOCSIFFLAGS = 0x8914;
const IFF_UP = 0x1;
/** struct ifreq: the name (IFNAMSIZ 16 bytes, NUL-terminated), then a union whose short ifr_flags comes first; 40 bytes. */
const IFREQ_SIZE = 40;
const FLAGS_OFFSET = 16;

const ioctl = (fd: number, request: number, ifreq: Buffer): Errno => libc('ioctl', [DataType.I32, DataType.I64, DataType.U8Array], [fd, request, ifreq]);

/** Sets `lo` up; throws with errno's words when it cannot. */
export function bringUpLoopback(): void {
	const socket = libc('socket', [DataType.I32, DataType.I32, DataType.I32], [AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0]);
	if (socket.value < 0) throw new Error(`socket(AF_INET, SOCK_DGRAM) failed: ${socket.errnoMessage}`);
	const fd = socket.value;
	try {
		const ifreq = Buffer.alloc(IFREQ_SIZE);
		ifreq.write('lo', 0, 'latin1');
		const get = ioctl(fd, SIOCGIFFLAGS, ifreq);
		if (get.value !== 0) throw new Error(`ioctl(SIOCGIFFLAGS, lo) failed: ${get.errnoMessage}`);
		ifreq.writeInt16LE(ifreq.readInt16LE(FLAGS_OFFSET) | IFF_UP, FLAGS_OFFSET);
		const set = ioctl(fd, SIOCSIFFLAGS, ifreq);
		if (set.value !== 0) throw new Error(`ioctl(SIOCSIFFLAGS, lo up) failed: ${set.errnoMessage}`);
	} finally {
		closeFd(fd);
	}
}
