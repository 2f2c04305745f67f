/**
 * The main thread's network namespaces. A run in the host's own process enters a new
 * one for its whole length (enterNewNetns). And opening a socket in another network
 * namespace of the lab without a process there:
 * a socket belongs to the namespace of the thread that created it, so the agent's main
 * thread enters the namespace (setns), creates the socket and comes straight back. It
 * all happens in one synchronous stretch of this thread (ffi-rs calls libc on it), so
 * no other code of the agent ever runs inside the other namespace; libuv's threads
 * never leave the agent's own.
 */
import {closeSync, openSync} from 'node:fs';
import {DataType, libc} from '../shared/libc.js';
import {leavingHome, ownNetns, threadNetnsPath} from './run-home.js';
import {inOwnUserNamespace} from '../../user-namespace.js';

const CLONE_NEWNET = 0x4000_0000;

function setns(fd: number, what: string): void {
	const result = libc('setns', [DataType.I32, DataType.I32], [fd, CLONE_NEWNET]);
	if (result.value !== 0) throw new Error(`setns(${what}, CLONE_NEWNET) failed: ${result.errnoMessage}`);
}

/** Runs `create` (which must be synchronous) inside the network namespace of process `pid`, and returns its result. */
export function inNetns<T>(pid: number, create: () => T): T {
	// thread-self: the main thread's own namespace, which is the one to come back to.
	const home = openSync(threadNetnsPath, 'r');
	const there = openSync(`/proc/${pid}/ns/net`, 'r');
	try {
		setns(there, `/proc/${pid}/ns/net`);
		try {
			return create();
		} finally {
			setns(home, 'the agent\'s own namespace');
		}
	} finally {
		closeSync(there);
		closeSync(home);
	}
}

let leftHost = false;

/**
 * In the user's own user namespace (user-namespace.ts), the host's network namespace, which
 * the initial user namespace owns, cannot be entered again (setns: EPERM). There the thread,
 * before its first run, moves for good into an empty namespace of its own, which every run
 * then comes back to. Nothing on this thread needs the host's afterwards: the host's sysctls
 * are read at start, and libuv's threads never leave it.
 */
function leaveHostForGood(): void {
	if (leftHost || !inOwnUserNamespace()) return;
	leavingHome(ownNetns());
	unshareNetns();
	leftHost = true;
}

/** Moves this thread into a new network namespace; throws, where it was, when the kernel does not. */
function unshareNetns(): void {
	const before = ownNetns();
	const result = libc('unshare', [DataType.I32], [CLONE_NEWNET]);
	if (result.value !== 0) throw new Error(`unshare(CLONE_NEWNET) failed: ${result.errnoMessage}`);
	if (ownNetns() === before) throw new Error('unshare(CLONE_NEWNET) left the thread in its namespace');
}

/**
 * Moves this thread into a new network namespace of its own (unshare) and returns what
 * brings it back. Throws, still at home, when the kernel refuses, or when the thread is
 * somehow not in a new one: nothing of a run may touch the namespace it came from.
 */
export function enterNewNetns(): () => void {
	leaveHostForGood();
	leavingHome(ownNetns());
	const home = openSync(threadNetnsPath, 'r');
	try {
		unshareNetns();
	} catch (error) {
		closeSync(home);
		throw error;
	}

	return () => {
		try {
			setns(home, 'the namespace it came from');
		} finally {
			closeSync(home);
		}
	};
}
