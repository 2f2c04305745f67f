/*
 * What the lab needs from this machine, checked from facts passed in (never read here),
 * so that tests can give a PATH without iptables or a kernel with user namespaces off.
 */
import {packageOf} from '../lab/agent/firewall.js';
import {sandboxCommand, userNamespaceSwitches} from '../lab/host/sandbox.js';
import {sbinDirs} from '../lab/shared/find-tool.js';
import type {Messages} from '../ui/messages/messages.js';
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

type Words = Messages['doctor'];

const tools = [
	{name: 'unshare', pkg: 'util-linux'},
	{name: 'ip', pkg: 'iproute2'},
] as const;

function toolCheck(machine: Machine, {name, pkg}: (typeof tools)[number], words: Words): Check {
	const found = machine.findTool(name);
	return found
		? {status: 'ok', name, detail: words.toolFound(found, pkg)}
		: {status: 'fail', name, detail: words.toolMissing(sbinDirs.join(', ')), fix: `sudo apt-get install ${pkg}`};
}

function userNamespaceChecks(machine: Machine, words: Words): Check[] {
	const name = words.names.userns;
	if (machine.uid === 0) return [{status: 'ok', name, detail: words.usernsAsRoot(sandboxCommand('netns').join(' '))}];
	return userNamespaceSwitches.map(({sysctl, off, on}): Check => {
		const value = machine.readSysctl(sysctl);
		if (value === undefined) return {status: 'ok', name, detail: words.noSwitch(sysctl)};
		if (value !== off) return {status: 'ok', name, detail: `${sysctl} = ${value}`};
		return {status: 'fail', name, detail: words.usernsOff(sysctl, value), fix: words.usernsFix(sysctl, on)};
	});
}

/**
 * Linux, unshare, ip and (when not root) each user-namespace switch: what the lab's
 * namespace needs. Off Linux only the first, since nothing else can help there.
 */
export function sandboxChecks(machine: Machine, lessons: LessonNeeds, words: Words): Check[] {
	const name = words.names.linux;
	if (machine.platform !== 'linux') {
		const labLessons = [...lessons.watching, ...lessons.dropping].sort((a, b) => a - b);
		return [{status: 'fail', name, detail: words.notLinux(machine.platform, lessonList(labLessons, words)), fix: words.notLinuxFix}];
	}

	return [
		{status: 'ok', name, detail: words.kernel(machine.release)},
		...tools.map(tool => toolCheck(machine, tool, words)),
		...userNamespaceChecks(machine, words),
	];
}

/** iptables or nft, the one the lab tries first; without either the lab still watches. */
export function firewallCheck(machine: Machine, lessons: LessonNeeds, words: Words): Check {
	const name = words.names.firewall;
	const iptables = machine.findTool('iptables');
	const nft = machine.findTool('nft');
	if (iptables) return {status: 'ok', name, detail: words.iptables(iptables, nft !== undefined)};
	if (nft) return {status: 'ok', name, detail: words.nft(nft)};
	return {status: 'fail', name, detail: words.noFirewall(withoutDrop(lessons, words)), fix: words.firewallFix(packageOf.iptables, packageOf.nft)};
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
export function nodeCheck(version: string, range: string, words: Words): Check {
	const name = words.names.node;
	return meetsRange(version, range)
		? {status: 'ok', name, detail: words.nodeOk(version, range)}
		: {status: 'fail', name, detail: words.nodeOld(version, range), fix: words.nodeFix(range.replace(/^>=\s*/, ''))};
}
