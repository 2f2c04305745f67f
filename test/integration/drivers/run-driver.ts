/**
 * Runs one integration driver (a .mjs script next to this file) in a fresh network
 * namespace and returns the JSON it printed last. Every run is bounded in time, and
 * the child is killed by its pid if it overstays (unshare and setpriv exec, so the
 * pid is the driver's own node process).
 */
import {type ChildProcess, spawn, spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

/**
 * - `netns`: real root, `unshare --net`
 * - `userns`: the unprivileged `nobody`, `unshare --user --map-root-user --net`
 * - `host-nobody`: `nobody` with no namespace at all (where nothing may work)
 */
export type RunAs = 'netns' | 'userns' | 'host-nobody';

export type DriverRun<T> = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; result: T};

const nobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
/** A normal user's PATH on Debian: no sbin, so the lab has to find ip, iptables and nft itself. */
const userPath = '/usr/local/bin:/usr/bin:/bin';

const running = new Set<ChildProcess>();

export function driverPath(name: string): string {
	return fileURLToPath(new URL(name, import.meta.url));
}

function commandFor(as: RunAs, script: string, options: unknown): {argv: string[]; env: NodeJS.ProcessEnv} {
	const node = [process.execPath, driverPath(script), JSON.stringify(options)];
	switch (as) {
		case 'netns': {
			return {argv: ['unshare', '--net', ...node], env: process.env};
		}

		case 'userns': {
			return {argv: [...nobody, 'unshare', '--user', '--map-root-user', '--net', ...node], env: {...process.env, PATH: userPath}};
		}

		case 'host-nobody': {
			return {argv: [...nobody, ...node], env: {...process.env, PATH: userPath}};
		}
	}
}

export async function runDriver<T>(script: string, options: unknown, as: RunAs, timeoutMs = 40_000): Promise<DriverRun<T>> {
	const {argv, env} = commandFor(as, script, options);
	const [file, ...args] = argv;
	const child = spawn(file!, args, {env, stdio: ['ignore', 'pipe', 'pipe'], cwd: '/'});
	running.add(child);
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	child.stderr!.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const timer = setTimeout(() => {
		if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
	}, timeoutMs);
	const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
		child.once('error', reject);
		child.once('close', (c, s) => {
			resolve([c, s]);
		});
	}).finally(() => {
		clearTimeout(timer);
		running.delete(child);
	});
	const last = stdout.trim().split('\n').at(-1) ?? '';
	let result: T;
	try {
		result = JSON.parse(last) as T;
	} catch {
		throw new Error(`driver ${script} (${as}) printed no JSON; exit ${code ?? signal}\nstdout: ${stdout}\nstderr: ${stderr}`);
	}

	return {code, signal, stdout, stderr, result};
}

/** Kills every driver still running (for afterAll). */
export function killDrivers(): void {
	for (const child of running) {
		if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
			try {
				process.kill(child.pid, 'SIGKILL');
			} catch {}
		}
	}
}

export const isRoot = process.getuid?.() === 0;

/** Whether `nobody` may create a user namespace here (some hardened hosts forbid it). */
export const userNamespacesWork =
	isRoot && spawnSync(nobody[0]!, [...nobody.slice(1), 'unshare', '--user', '--map-root-user', '--net', 'true'], {timeout: 10_000}).status === 0;

/** The host's own firewall, to compare before and after: nothing may change on it. */
export function hostRuleset(): string {
	const run = (file: string, args: string[]) => {
		const r = spawnSync(file, args, {encoding: 'utf8', timeout: 10_000});
		return `$ ${file} ${args.join(' ')} (exit ${r.status})\n${r.stdout}${r.stderr}`;
	};

	return [run('iptables', ['-S']), run('nft', ['list', 'ruleset'])].join('\n');
}
