import {spawn, type ChildProcess, type SpawnOptions} from 'node:child_process';
import {readdirSync, readFileSync, readlinkSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {LabEvent} from '../../source/lab/shared/events.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
/** The program as users start it: package.json's bin (the bundle, see scripts/bundle.js). */
export const binPath = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {bin: Record<string, string>}).bin['ka-tutorial']!;
export const cliPath = path.join(root, binPath);

export type CliRun = {
	child: ChildProcess;
	lines: string[];
	stderr: () => string;
	exit: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
};

/**
 * Starts the built CLI (optionally through a prefix such as setpriv) and collects its stdout
 * lines: as `node dist/ka-tutorial.js`, or `asProgram` as npx starts the bin (its shell lines first).
 */
export function startCli(args: string[], options: {prefix?: string[]; cli?: string; spawn?: SpawnOptions; asProgram?: boolean} = {}): CliRun {
	const cli = options.cli ?? cliPath;
	const [command, ...rest] = [...(options.prefix ?? []), ...(options.asProgram ? [cli] : [process.execPath, cli]), ...args];
	const child = spawn(command!, rest, {stdio: ['ignore', 'pipe', 'pipe'], ...options.spawn});
	const lines: string[] = [];
	let buffered = '';
	let stderr = '';
	child.stdout!.on('data', (chunk: Buffer) => {
		buffered += chunk.toString();
		const parts = buffered.split('\n');
		buffered = parts.pop() ?? '';
		lines.push(...parts);
	});
	child.stderr!.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const exit = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => {
		child.once('close', (code, signal) => {
			if (buffered) lines.push(buffered);
			resolve({code, signal});
		});
	});
	return {child, lines, stderr: () => stderr, exit};
}

export function parseEvents(lines: string[]): LabEvent[] {
	return lines.filter(line => line.startsWith('{')).map(line => JSON.parse(line) as LabEvent);
}

/** Polls until predicate holds; bounded in time, never a blind sleep. */
export async function waitUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

/** Pids of every descendant of pid, read from /proc. */
export function descendants(pid: number): number[] {
	const children = new Map<number, number[]>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
		} catch {}
	}

	const found: number[] = [];
	const queue = [pid];
	while (queue.length > 0) {
		for (const child of children.get(queue.shift()!) ?? []) {
			found.push(child);
			queue.push(child);
		}
	}

	return found;
}

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** The network namespace a process is in, e.g. "net:[4026532281]"; undefined once it is gone. */
export function netnsOf(pid: number): string | undefined {
	try {
		return readlinkSync(`/proc/${pid}/ns/net`);
	} catch {
		return undefined;
	}
}

/** Every network namespace some process on the machine is in. */
export function liveNetns(): Set<string> {
	const all = new Set<string>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const ns = netnsOf(Number(entry));
		if (ns) all.add(ns);
	}

	return all;
}
