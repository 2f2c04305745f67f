/**
 * An ordinary user's tutorial, `lab` and `verify` run inside a user namespace of their own,
 * so that the lab's agent can share their process as it does root's (host/in-process.ts):
 * one Node less in memory (about 50 MiB) and in start-up. Started as a program, the bin's
 * shell lines (scripts/bundle.js) have already done it before Node, and set the marker.
 * Started as `node dist/ka-tutorial.js`: a multithreaded process (every Node) cannot enter a
 * new user namespace, so the program starts itself again, in the same process: execve of
 * `unshare --user --map-root-user` with the same node, script and arguments. Only the user
 * namespace is new: the network, the files and the sysctls are still the host's, and the
 * lab makes a network namespace per run as root's does.
 */
import {readFileSync} from 'node:fs';
import {findTool} from './lab/shared/find-tool.js';
import {nodeEnv} from './lab/shared/parent-pid.js';

/** In the environment of the program started again (or tried: the shell lines set it either way); its value is the user's uid outside. */
const marker = 'KA_TUTORIAL_USERNS';

/** The one line of uid_map that `unshare --map-root-user` writes: 0 inside is `uid` outside. */
function mapsRootTo(uid: number): boolean {
	try {
		return readFileSync('/proc/self/uid_map', 'utf8').trim().split(/\s+/).join(' ') === `0 ${uid} 1`;
	} catch {
		return false;
	}
}

let outside: number | undefined | null = null;
/** The uid outside, when this process is the program started again in its own user namespace. */
function uidOutside(): number | undefined {
	if (outside === null) {
		const uid = Number(process.env[marker]);
		outside = Number.isInteger(uid) && uid > 0 && process.getuid?.() === 0 && mapsRootTo(uid) ? uid : undefined;
	}

	return outside;
}

/** Whether this process is an ordinary user's program, started again in a user namespace of its own. */
export function inOwnUserNamespace(): boolean {
	return uidOutside() !== undefined;
}

/** The user's uid: outside the user namespace, when the program runs in its own. */
export function userUid(): number | undefined {
	return uidOutside() ?? process.getuid?.();
}

/**
 * Starts this program again inside a user namespace of its own, and so never returns;
 * returns when that cannot help or cannot be done (root, not Linux, no unshare, already
 * there): the program then goes on as it is, and its lab runs the agent in a process of
 * its own, whose start says what is wrong, if anything is. A shell first tries whether the
 * kernel lets this user map root (a restricted kernel or AppArmor may not): when it does
 * not, the same program starts as it was, without the namespace.
 */
export async function restartInUserNamespace(): Promise<void> {
	const uid = process.getuid?.();
	if (process.platform !== 'linux' || uid === undefined || uid === 0 || process.env[marker] !== undefined) return;
	const unshare = findTool('unshare');
	const sh = findTool('sh');
	const script = process.argv[1];
	if (!unshare || !sh || !script) return;
	const how = 'u=$1; shift; "$u" --user --map-root-user true 2>/dev/null || exec "$@"; exec "$u" --user --map-root-user -- "$@"';
	const {execve} = await import('./lab/shared/execve.js');
	try {
		execve(sh, [sh, '-c', how, 'ka-tutorial', unshare, process.execPath, ...process.execArgv, script, ...process.argv.slice(2)], {...nodeEnv(), [marker]: String(uid)});
	} catch {
		// Refused (no memory, a seccomp filter): the program goes on as it is.
	}
}
