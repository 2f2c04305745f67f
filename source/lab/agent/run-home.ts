/**
 * This thread's network namespace, and the ones that runs in the host's own process came from (host/in-process.ts):
 * the host's. Nothing of a run may change a firewall or a sysctl there, whatever a late
 * timer or a bug would do; a spawned agent never leaves its namespace, and has none.
 */
import {readlinkSync} from 'node:fs';

/** This thread's network namespace: the file setns takes. */
export const threadNetnsPath = '/proc/thread-self/ns/net';

/** The namespace this thread is in, as /proc names it (net:[inode]). */
export const ownNetns = (): string => readlinkSync(threadNetnsPath);

const homes = new Set<string>();

/** Notes that this thread is about to leave namespace `ns` (as /proc names it) for a run. */
export function leavingHome(ns: string): void {
	homes.add(ns);
}

/** Throws when this thread is in a namespace a run came from. */
export function assertAwayFromHome(what: string): void {
	if (homes.size > 0 && homes.has(ownNetns())) {
		throw new Error(`refusing to ${what} outside the lab's namespace (this thread is back in the host's)`);
	}
}
