// Small helpers shared by the benchmarks: process trees, CPU and memory from /proc, medians.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** The program as users start it (package.json's bin, the bundle): KA_BENCH_DIST=DIR benchmarks another checkout's build (its dist/), else ../dist. */
export const cliPath = process.env.KA_BENCH_DIST
	? path.resolve(process.env.KA_BENCH_DIST, 'ka-tutorial.js')
	: fileURLToPath(new URL('../dist/ka-tutorial.js', import.meta.url));

export const ticksPerSecond = 100; // USER_HZ

export function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function stat(pid) {
	const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
	return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

export function tree(pid) {
	const children = new Map();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const parent = Number(stat(entry)[1]);
			children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
		} catch {}
	}

	const all = [pid];
	for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]) ?? []));
	return all;
}

/** utime + stime of the processes, in seconds. */
export function cpuSeconds(pids) {
	let ticks = 0;
	for (const pid of pids) {
		try {
			const fields = stat(pid);
			ticks += Number(fields[11]) + Number(fields[12]);
		} catch {}
	}

	return ticks / ticksPerSecond;
}

/** Resident memory of each process, in MiB. */
export function rssMiB(pids) {
	return pids.map(pid => {
		try {
			const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find(l => l.startsWith('VmRSS:'));
			return Number(line.split(/\s+/)[1]) / 1024;
		} catch {
			return 0;
		}
	});
}

/**
 * Proportional memory of each process (Pss from smaps_rollup), in MiB: pages shared with
 * others (the node binary, mapped by every lab process) count once in all, split between them.
 * RSS counts them in full in each process.
 */
export function pssMiB(pids) {
	return pids.map(pid => {
		try {
			const line = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').split('\n').find(l => l.startsWith('Pss:'));
			return Number(line.split(/\s+/)[1]) / 1024;
		} catch {
			return 0;
		}
	});
}

export function commandOf(pid) {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).map(p => p.split('/').pop()).join(' ');
	} catch {
		return '?';
	}
}

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

export async function waitFor(predicate, timeoutMs, what) {
	const end = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await sleep(2);
	}
}
