/**
 * Whether a run left a process in a network namespace of its own, once every process of
 * it that was seen has ended. Namespace numbers are reused at once, and other labs may run
 * on the machine meanwhile: a process in a namespace of that number is a leftover of ours
 * only if it is an orphan (its parents are gone, so its parent is now init), not when it
 * belongs to a live program outside the namespace, as another run's lab does.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {expect} from 'vitest';
import {type CliRun, descendants, isAlive, netnsOf, waitUntil} from '../helpers/cli.js';

function parentOf(pid: number): number | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
	} catch {
		return undefined;
	}
}

/** Whether pid's ancestry reaches a live process outside `ns` other than init: someone else's lab. */
function ownedFromOutside(pid: number, ns: string): boolean {
	for (let parent = parentOf(pid); parent !== undefined && parent > 1; parent = parentOf(parent)) {
		if (netnsOf(parent) !== ns) return true;
	}

	return false;
}

/** The orphans still in any of `namespaces`, as "namespace pid: command line". */
export function leaks(namespaces: Iterable<string>): string[] {
	const wanted = new Set(namespaces);
	const found: string[] = [];
	for (const entry of readdirSync('/proc')) {
		const pid = Number(entry);
		const ns = /^\d+$/.test(entry) ? netnsOf(pid) : undefined;
		if (!ns || !wanted.has(ns) || ownedFromOutside(pid, ns)) continue;
		try {
			found.push(`${ns} ${entry}: ${readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ')}`);
		} catch {}
	}

	return found;
}

/**
 * Waits for a started CLI to end, noting every process it started on the way; one that
 * overstays `timeoutMs` is killed (its lab dies with it) and fails the wait.
 */
function isNode(pid: number): boolean {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === process.execPath;
	} catch {
		return false;
	}
}

export async function untilEnded(cli: CliRun, timeoutMs: number, what: string): Promise<{code: number | null; started: Set<number>}> {
	const started = new Set<number>();
	let ended = false;
	void cli.exit.then(() => (ended = true));
	try {
		await waitUntil(
			() => {
				// Once the pid is Node: a prefix's own helpers before its exec (sh's mount) are not the CLI's.
				if (isNode(cli.child.pid!)) for (const pid of descendants(cli.child.pid!)) started.add(pid);
				return ended;
			},
			timeoutMs,
			what,
		);
	} finally {
		cli.child.kill('SIGKILL');
	}

	const {code} = await cli.exit;
	return {code, started};
}

/** Every process of a run has ended, and none is left in the namespaces they had. */
export async function expectNothingLeft(started: Set<number>): Promise<void> {
	const namespaces = new Set([...started].map(netnsOf).filter((ns): ns is string => ns !== undefined && ns !== netnsOf(process.pid)));
	await waitUntil(() => [...started].every(pid => !isAlive(pid)), 5000, 'every process of the run to end');
	expect(leaks(namespaces)).toEqual([]);
}
