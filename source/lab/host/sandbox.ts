import {readFileSync} from 'node:fs';
import type {SandboxKind} from '../shared/events.js';
import {findTool} from '../shared/find-tool.js';
import {inOwnUserNamespace} from '../../user-namespace.js';
import {LabStartError} from './lab-types.js';

export function defaultSandbox(): SandboxKind {
	return process.getuid?.() === 0 && !inOwnUserNamespace() ? 'netns' : 'userns';
}

/** The command that starts a program inside a fresh, private network namespace. */
export function sandboxCommand(kind: SandboxKind): string[] {
	// Without --fork, unshare execs the program: it keeps unshare's pid and
	// stays our direct child, so its parent-death signal points at us.
	return kind === 'netns' ? ['unshare', '--net'] : ['unshare', '--user', '--map-root-user', '--net'];
}

/** A sysctl's value by its dotted name; undefined when this kernel has no such switch (or it is unreadable). */
export function readSysctl(name: string): string | undefined {
	try {
		return readFileSync(`/proc/sys/${name.replaceAll('.', '/')}`, 'utf8').trim();
	} catch {
		return undefined;
	}
}

/** The switches that can turn unprivileged user namespaces off, the value that does, and one that allows them. */
export const userNamespaceSwitches = [
	{sysctl: 'kernel.unprivileged_userns_clone', off: '0', on: '1'},
	{sysctl: 'user.max_user_namespaces', off: '0', on: '10000'},
	{sysctl: 'kernel.apparmor_restrict_unprivileged_userns', off: '1', on: '0'},
] as const;

/** Everything that is known to stop a lab before it starts, each with the fix; throws LabStartError. */
export function checkSandbox(kind: SandboxKind): void {
	if (process.platform !== 'linux') {
		throw new LabStartError(
			`The live lab needs Linux network namespaces; this is ${process.platform}.`,
			'Run ka-tutorial on Linux (a VM or a Linux container with its own kernel works); the text lessons work here.',
		);
	}

	if (!findTool('unshare')) {
		throw new LabStartError('The `unshare` command is missing.', 'Install util-linux (apt-get install util-linux).');
	}

	if (!findTool('ip')) {
		throw new LabStartError('The `ip` command is missing.', 'Install iproute2 (apt-get install iproute2).');
	}

	if (kind === 'netns') {
		if (process.getuid?.() !== 0) {
			throw new LabStartError(
				'A plain network namespace needs root.',
				'Run with sudo, or use --sandbox userns (the default for a normal user).',
			);
		}

		return;
	}

	for (const {sysctl, off, on} of userNamespaceSwitches) {
		if (readSysctl(sysctl) === off) {
			throw new LabStartError(
				`Unprivileged user namespaces are switched off on this machine (${sysctl} = ${off}).`,
				`Either allow them: sudo sysctl -w ${sysctl}=${on}, or run the tutorial as root: sudo npx ka-tutorial.`,
			);
		}
	}
}

/** Turns what unshare printed when it failed into a LabStartError with a fix. */
export function sandboxFailure(kind: SandboxKind, stderr: string): LabStartError {
	if (/unshare failed|Operation not permitted|write failed \/proc\/self\/(uid_map|setgroups)/.test(stderr)) {
		return new LabStartError(
			`Could not create a private ${kind === 'userns' ? 'user and network' : 'network'} namespace: ${stderr.trim()}`,
			kind === 'userns'
				? 'Unprivileged user namespaces are probably restricted here (AppArmor, a container or a hardened kernel). Run as root: sudo npx ka-tutorial.'
				: 'Run as root, outside a container that forbids namespaces, or use --sandbox userns.',
		);
	}

	return new LabStartError(`The lab could not start: ${stderr.trim() || 'no message'}`, 'Run `ka-tutorial lab` to see the full error.');
}
