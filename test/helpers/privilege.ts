/**
 * What this machine and this process can do, found out by trying it (never by an
 * environment variable), and describe / it that skip what cannot run here with the
 * reason. The reason rides on the skipped task's meta (`needs`), and
 * test/helpers/skip-reporter.ts prints one line per reason at the end of the run.
 *
 * As root with every tool installed (CI) nothing is skipped; .ci/run also sets
 * KA_TEST_REQUIRE_ALL=1, so that a skip there fails the run instead of hiding.
 */
import {spawnSync} from 'node:child_process';
import {describe, it, type TestFunction} from 'vitest';
import {getCurrentSuite} from 'vitest/suite';
import {findTool} from '../../source/lab/shared/find-tool.js';

export type Need =
	/** Real root: `unshare --net` (a plain network namespace) works. */
	| 'root'
	/** This process may become `nobody` with setpriv (needs root's CAP_SETUID). */
	| 'nobody'
	/** `nobody` may make `unshare --user --map-root-user --net` (implies 'nobody'). */
	| 'nobody-userns'
	/** The lab's default sandbox works for this process: `unshare --net` as root, a user namespace otherwise; and `ip` is there. */
	| 'sandbox'
	/** iptables or nft, for the lab's drop rule. */
	| 'firewall'
	| 'iptables'
	| 'nft'
	| 'tshark'
	| 'tcpdump'
	| 'tmux';

declare module '@vitest/runner' {
	interface TaskMeta {
		/** What a skipped test or suite lacked on this machine, e.g. ['root', 'tshark']. */
		needs?: string[];
	}
}

/** Runs a command to see whether it works here; quiet, bounded. */
function works(argv: string[]): boolean {
	const [file, ...args] = argv;
	const result = spawnSync(file!, args, {stdio: 'ignore', timeout: 10_000});
	return result.status === 0;
}

export const asNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

/** Each check gives the name of what is missing (as the summary shows it), or undefined. */
const checks: Record<Need, () => string | undefined> = {
	root() {
		if (process.getuid?.() !== 0) return 'root';
		if (!findTool('unshare')) return 'unshare (util-linux)';
		return works([findTool('unshare')!, '--net', 'true']) ? undefined : 'root with CAP_SYS_ADMIN (unshare --net fails)';
	},
	nobody() {
		if (!findTool('setpriv')) return 'setpriv (util-linux)';
		if (works([...asNobody, 'true'])) return undefined;
		return process.getuid?.() === 0 ? 'setpriv --reuid (fails even as root)' : 'root';
	},
	'nobody-userns'() {
		const nobody = have('nobody');
		if (nobody) return nobody;
		if (!findTool('unshare')) return 'unshare (util-linux)';
		return works([...asNobody, 'unshare', '--user', '--map-root-user', '--net', 'true']) ? undefined : 'unprivileged user namespaces';
	},
	sandbox() {
		const unshare = findTool('unshare');
		if (!unshare) return 'unshare (util-linux)';
		if (!findTool('ip')) return 'ip (iproute2)';
		const flags = process.getuid?.() === 0 ? ['--net'] : ['--user', '--map-root-user', '--net'];
		if (works([unshare, ...flags, 'true'])) return undefined;
		return process.getuid?.() === 0 ? 'root with CAP_SYS_ADMIN (unshare --net fails)' : 'unprivileged user namespaces';
	},
	firewall: () => (findTool('iptables') || findTool('nft') ? undefined : 'iptables or nft'),
	iptables: () => (findTool('iptables') ? undefined : 'iptables'),
	nft: () => (findTool('nft') ? undefined : 'nft'),
	tshark: () => (findTool('tshark') ? undefined : 'tshark'),
	tcpdump: () => (findTool('tcpdump') ? undefined : 'tcpdump'),
	tmux: () => (findTool('tmux') ? undefined : 'tmux'),
};

const cache = new Map<Need, string | undefined>();

/** What is missing for `need`, or undefined when this process has it (checked once per test file). */
export function have(need: Need): string | undefined {
	if (!cache.has(need)) cache.set(need, checks[need]());
	return cache.get(need);
}

/** The names of what is missing for all of `needs` (none: everything is here). */
export function lacking(...needs: Need[]): string[] {
	return [...new Set(needs.map(have).filter((missing): missing is string => missing !== undefined))];
}

type Where = {
	/** `describe`, or `describe.skip` with the reason where something is missing. */
	describe: (name: string, factory: () => void) => void;
	/** `it`, or `it.skip` with the reason where something is missing. */
	it: (name: string, fn: TestFunction, timeout?: number) => void;
	/** True where it all runs. */
	runs: boolean;
};

/**
 * Tests that run only where all of `needs` are here, e.g.
 * `where('root', 'tshark').describe('…', () => { … })`; elsewhere they are skipped, and
 * the run's last lines say what they needed.
 */
export function where(...needs: Need[]): Where {
	const missing = lacking(...needs);
	if (missing.length === 0) return {describe: (name, factory) => describe(name, factory), it: (name, fn, timeout) => it(name, fn, timeout), runs: true};
	return {
		runs: false,
		describe(name, factory) {
			const collector = describe.skip(name, factory);
			if (collector.suite) collector.suite.meta.needs = missing;
		},
		it(name, fn, timeout) {
			it.skip(name, fn, timeout);
			const test = getCurrentSuite().tasks.at(-1);
			if (test && test.type === 'test') test.meta.needs = missing;
		},
	};
}
