/*
 * What the lab needs from this machine, checked from facts passed in (never read here),
 * so that tests can give a PATH without iptables or a kernel with user namespaces off.
 */
import {packageOf} from '../lab/agent/firewall.js';
import {sandboxCommand, userNamespaceSwitches} from '../lab/host/sandbox.js';
import {sbinDirs} from '../lab/shared/find-tool.js';
import type {Check} from './check.js';
import {type LessonNeeds, lessonList, withoutDrop} from './lesson-needs.js';

/** The machine as the checks see it. */
export type Machine = {
	platform: NodeJS.Platform;
	/** The kernel's release, e.g. "6.1.0-18-amd64". */
	release: string;
	/** undefined where there are no uids. */
	uid: number | undefined;
	/** An executable's full path, from PATH and the sbin folders, as the lab looks it up. */
	findTool: (name: string) => string | undefined;
	/** A sysctl's value by its dotted name; undefined when this kernel has no such switch (or it is unreadable). */
	readSysctl: (name: string) => string | undefined;
};

const tools = [
	{name: 'unshare', pkg: 'util-linux'},
	{name: 'ip', pkg: 'iproute2'},
] as const;

function toolCheck(machine: Machine, {name, pkg}: (typeof tools)[number]): Check {
	const found = machine.findTool(name);
	return found
		? {status: 'ok', name, detail: `${found} (${pkg})`}
		: {status: 'fail', name, detail: `not found in PATH nor in ${sbinDirs.join(', ')}`, fix: `sudo apt-get install ${pkg}`};
}

const userns = 'user namespaces';

function userNamespaceChecks(machine: Machine): Check[] {
	if (machine.uid === 0) {
		const detail = `not needed as root (the lab uses \`${sandboxCommand('netns').join(' ')}\`); run doctor without sudo to check them for ordinary users`;
		return [{status: 'ok', name: userns, detail}];
	}

	return userNamespaceSwitches.map(({sysctl, off, on}): Check => {
		const value = machine.readSysctl(sysctl);
		if (value === undefined) return {status: 'ok', name: userns, detail: `${sysctl}: not a switch on this kernel`};
		if (value !== off) return {status: 'ok', name: userns, detail: `${sysctl} = ${value}`};
		return {
			status: 'fail',
			name: userns,
			detail: `${sysctl} = ${value}: ordinary users may not make the lab's namespace`,
			fix: `sudo sysctl -w ${sysctl}=${on}, or run the tutorial as root: sudo npx ka-tutorial`,
		};
	});
}

/**
 * Linux, unshare, ip and (when not root) each user-namespace switch: what the lab's
 * namespace needs. Off Linux only the first, since nothing else can help there.
 */
export function sandboxChecks(machine: Machine, lessons: LessonNeeds): Check[] {
	if (machine.platform !== 'linux') {
		const labLessons = [...lessons.watching, ...lessons.dropping].sort((a, b) => a - b);
		return [
			{
				status: 'fail',
				name: 'Linux',
				detail: `this is ${machine.platform}: the lab needs Linux network namespaces; ${lessonList(labLessons)} need the lab, the others work here`,
				fix: 'run ka-tutorial on Linux (a VM or a Linux container with its own kernel works)',
			},
		];
	}

	return [{status: 'ok', name: 'Linux', detail: `kernel ${machine.release}`}, ...tools.map(tool => toolCheck(machine, tool)), ...userNamespaceChecks(machine)];
}

/** iptables or nft, the one the lab tries first; without either the lab still watches. */
export function firewallCheck(machine: Machine, lessons: LessonNeeds): Check {
	const iptables = machine.findTool('iptables');
	const nft = machine.findTool('nft');
	if (iptables) return {status: 'ok', name: 'firewall', detail: `the lab will use iptables, ${iptables}${nft ? ' (nft is here too)' : ''}`};
	if (nft) return {status: 'ok', name: 'firewall', detail: `the lab will use nft, ${nft} (no iptables)`};
	return {
		status: 'fail',
		name: 'firewall',
		detail: `neither iptables nor nft found: ${withoutDrop(lessons)}`,
		fix: `sudo apt-get install ${packageOf.iptables} (or ${packageOf.nft})`,
	};
}

/** Whether `version` ("20.20.2" or "v20.20.2") meets an engines range of the form ">=20" or ">=20.5.1". */
export function meetsRange(version: string, range: string): boolean {
	const wanted = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
	if (!wanted) throw new Error(`engines.node "${range}": only ">=X.Y.Z" ranges are understood`);
	const have = version.replace(/^v/, '').split('.').map(Number);
	for (let part = 0; part < 3; part++) {
		const a = have[part] ?? 0;
		const b = Number(wanted[part + 1] ?? 0);
		if (a !== b) return a > b;
	}

	return true;
}

/** The running Node against package.json's engines.node. */
export function nodeCheck(version: string, range: string): Check {
	const needs = `package.json engines: node ${range}`;
	return meetsRange(version, range)
		? {status: 'ok', name: 'Node', detail: `${version} (${needs})`}
		: {status: 'fail', name: 'Node', detail: `${version} is too old (${needs})`, fix: `install Node ${range.replace(/^>=\s*/, '')} or newer (https://nodejs.org)`};
}
