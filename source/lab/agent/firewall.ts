/**
 * The article's drop, on the server's side of the lab: inbound TCP whose source port
 * is the client's never reaches the server. With iptables it is the article's own
 * command; with nft the same rule lives in a table and input chain of the lab's own
 * (`inet ka`, chain `input`). Both work inside the lab's private network namespace —
 * as real root or as root of a user namespace — and vanish with it.
 *
 * These functions change the firewall of the network namespace they run in: call
 * them only from the lab's agent, never on the host.
 *
 * Pure parts (the commands, the counter parsers) are exported for tests and for the
 * lessons that show the commands; the side-effecting ones run the tools with execFile
 * (no shell).
 */

import {execFile} from 'node:child_process';
import type {FirewallTool} from '../shared/events.js';
import {findTool, sbinDirs} from '../shared/find-tool.js';
import {assertAwayFromHome} from './run-home.js';

/** One command: argv[0] is the tool's name; `line` is the same, quoted for a shell. */
export type FirewallCommand = {
	argv: readonly string[];
	line: string;
	/** Only prepares the place the rule lives in (nft's table and chain), idempotently. */
	setup?: true;
};

/** The nft table and chain of the lab's own. */
export const nftTable = {family: 'inet', name: 'ka', chain: 'input'} as const;

/** Debian / Ubuntu package of each tool. */
export const packageOf: Record<FirewallTool, string> = {iptables: 'iptables', nft: 'nftables'};

// --- pure: commands -----------------------------------------------------------

/** Quotes one word for a POSIX shell, only when it needs it. */
export function shellWord(word: string): string {
	if (word !== '' && /^[\w@%+=:,./-]+$/.test(word)) {
		return word;
	}

	return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** An argv as a command line a learner can paste into a shell. */
export function shellLine(argv: readonly string[]): string {
	return argv.map(shellWord).join(' ');
}

function command(argv: string[], setup = false): FirewallCommand {
	return setup ? {argv, line: shellLine(argv), setup: true} : {argv, line: shellLine(argv)};
}

function checkPort(port: number): string {
	if (!Number.isInteger(port) || port < 1 || port > 65_535) {
		throw new RangeError(`not a TCP port: ${port}`);
	}

	return String(port);
}

/** nft's table and base chain for the lab's rule (idempotent: `add` keeps what exists). */
export function nftSetupCommands(): FirewallCommand[] {
	const {family, name, chain} = nftTable;
	return [
		command(['nft', 'add', 'table', family, name], true),
		command(['nft', 'add', 'chain', family, name, chain, '{ type filter hook input priority 0; policy accept; }'], true),
	];
}

/**
 * The commands that drop inbound TCP from the client's port, in order; the last one is
 * the rule itself (`iptables -A INPUT -p tcp --sport 40526 -j DROP`).
 */
export function dropCommands(tool: FirewallTool, clientPort: number): FirewallCommand[] {
	const port = checkPort(clientPort);
	if (tool === 'iptables') {
		return [command(['iptables', '-A', 'INPUT', '-p', 'tcp', '--sport', port, '-j', 'DROP'])];
	}

	const {family, name, chain} = nftTable;
	return [...nftSetupCommands(), command(['nft', 'add', 'rule', family, name, chain, 'tcp', 'sport', port, 'counter', 'drop'])];
}

/**
 * The commands that take the drop away again: one per rule in place. iptables deletes
 * by the rule's spec (`times` of them); nft deletes by the rules' handles, which
 * {@link parseNftDropRules} reads.
 */
export function allowCommands(tool: FirewallTool, clientPort: number, nftHandles: readonly number[] = []): FirewallCommand[] {
	const port = checkPort(clientPort);
	if (tool === 'iptables') {
		return [command(['iptables', '-D', 'INPUT', '-p', 'tcp', '--sport', port, '-j', 'DROP'])];
	}

	const {family, name, chain} = nftTable;
	return nftHandles.map((handle) => command(['nft', 'delete', 'rule', family, name, chain, 'handle', String(handle)]));
}

/** The command whose output holds the rules' own counters (and, for nft, their handles). */
export function counterCommand(tool: FirewallTool): FirewallCommand {
	const {family, name, chain} = nftTable;
	return tool === 'iptables'
		? command(['iptables', '-n', '-v', '-x', '-L', 'INPUT'])
		: command(['nft', '-a', 'list', 'chain', family, name, chain]);
}

/** The command that shows whether the tool works at all here, changing nothing. */
export function probeCommand(tool: FirewallTool): FirewallCommand {
	return tool === 'iptables' ? command(['iptables', '-n', '-L', 'INPUT']) : command(['nft', 'list', 'tables']);
}

// --- pure: counters ------------------------------------------------------------

/**
 * The packet counters of the lab's drop rules in `iptables -nvxL INPUT` output, one per
 * rule, in chain order:
 *
 *     Chain INPUT (policy ACCEPT 0 packets, 0 bytes)
 *         pkts      bytes target     prot opt in     out     source               destination
 *            2      120 DROP       6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp spt:40526
 *
 * (iptables 1.8.9 with the nf_tables backend prints the protocol as 6; others print tcp.)
 */
export function parseIptablesDropCounters(output: string, clientPort: number): number[] {
	const counters: number[] = [];
	for (const line of output.split('\n')) {
		const fields = line.trim().split(/\s+/);
		// pkts bytes target prot opt in out source destination match...
		const [pkts, , target, prot, , , , , , ...match] = fields;
		if (
			pkts !== undefined &&
			/^\d+$/.test(pkts) &&
			target === 'DROP' &&
			(prot === 'tcp' || prot === '6') &&
			match.join(' ') === `tcp spt:${clientPort}`
		) {
			counters.push(Number(pkts));
		}
	}

	return counters;
}

export type NftDropRule = {handle: number | undefined; packets: number};

/**
 * The lab's drop rules in `nft -a list chain inet ka input` output, in chain order:
 *
 *     tcp sport 40527 counter packets 2 bytes 120 drop # handle 2
 */
export function parseNftDropRules(output: string, clientPort: number): NftDropRule[] {
	const re = /^\s*tcp sport (\d+) counter packets (\d+) bytes \d+ drop(?:\s+#\s+handle\s+(\d+))?\s*$/;
	const rules: NftDropRule[] = [];
	for (const line of output.split('\n')) {
		const m = re.exec(line);
		if (m && Number(m[1]) === clientPort) {
			rules.push({handle: m[3] === undefined ? undefined : Number(m[3]), packets: Number(m[2])});
		}
	}

	return rules;
}

// --- side effects ---------------------------------------------------------------

class ToolMissing extends Error {}

type RunResult = {stdout: string; stderr: string};

/** The line of a tool's stderr that says what went wrong (nft adds the command and carets under it). */
export function errorDetail(stderr: string): string | undefined {
	const lines = stderr
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line !== '' && !/^\^+$/.test(line));
	return lines.find((line) => line.startsWith('Error:')) ?? lines.at(-1);
}

/**
 * Runs one command (execFile, no shell); with `netnsPid`, in that process's network
 * namespace through nsenter (the NAT scenario's router), else in the caller's.
 */
export async function run(cmd: FirewallCommand, netnsPid?: number): Promise<RunResult> {
	assertAwayFromHome(`run \`${cmd.line}\``);
	const [name, ...args] = cmd.argv;
	const path = findTool(name!);
	if (!path) {
		throw new ToolMissing(`${name} is not installed (not found in PATH nor in ${sbinDirs.join(', ')})`);
	}

	const nsenter = netnsPid === undefined ? undefined : (findTool('nsenter') ?? 'nsenter');
	return new Promise((resolve, reject) => {
		execFile(
			nsenter ?? path,
			nsenter ? [`--net=/proc/${netnsPid}/ns/net`, path, ...args] : args,
			{timeout: 10_000, env: {...process.env, LC_ALL: 'C'}, maxBuffer: 4 * 1024 * 1024},
			(error, stdout, stderr) => {
				if (error) {
					const detail = errorDetail(stderr) ?? error.message;
					reject(new Error(`\`${cmd.line}\` failed: ${detail}`));
				} else {
					resolve({stdout, stderr});
				}
			},
		);
	});
}

/** Why a tool cannot be used: missing altogether, or failing here (with its own words). */
export type FirewallProblem = {missing: boolean; message: string};

/** Whether the tool works in this namespace; for nft, this also creates the lab's table and chain. */
async function tryTool(tool: FirewallTool): Promise<FirewallProblem | undefined> {
	try {
		if (tool === 'iptables') {
			await run(probeCommand('iptables'));
		} else {
			for (const cmd of nftSetupCommands()) {
				await run(cmd);
			}
		}

		return undefined;
	} catch (error) {
		return {missing: error instanceof ToolMissing, message: (error as Error).message};
	}
}

/** What is wrong and what to do about it, kept apart so that each is said once. */
export type FirewallAdvice = {message: string; fix: string};

/** No firewall tool works in the lab's namespace: the lab can watch, but not drop. */
export class FirewallUnavailable extends Error {
	readonly fix: string;

	constructor({message, fix}: FirewallAdvice) {
		super(message);
		this.name = 'FirewallUnavailable';
		this.fix = fix;
	}
}

/** What to tell the learner when a forced tool does not work (pure, for tests). */
export function forcedToolError(tool: FirewallTool, problem: FirewallProblem): FirewallAdvice {
	const other: FirewallTool = tool === 'iptables' ? 'nft' : 'iptables';
	return problem.missing
		? {message: `${problem.message}.`, fix: `Install it (Debian/Ubuntu: sudo apt-get install ${packageOf[tool]}) or use --firewall ${other}.`}
		: {
				message: `${tool} does not work in the lab's network namespace: ${problem.message}.`,
				fix: `Try --firewall ${other} (Debian/Ubuntu package ${packageOf[other]}).`,
			};
}

/** What to tell the learner when no tool works (pure, for tests). */
export function noToolError(iptables: FirewallProblem, nft: FirewallProblem): FirewallAdvice {
	const message =
		iptables.missing && nft.missing
			? `neither iptables nor nft is installed (looked in PATH and in ${sbinDirs.join(', ')}).`
			: `neither iptables nor nft works in the lab's network namespace (iptables: ${iptables.message}; nft: ${nft.message}).`;
	return {message, fix: `Install one of them: Debian/Ubuntu: sudo apt-get install ${packageOf.iptables} (or ${packageOf.nft}).`};
}

/**
 * The firewall tool to use in this namespace: iptables where it really works here,
 * else nft. With a forced tool, that one. Throws FirewallUnavailable saying why not and what to install.
 */
export async function detectFirewall(force: FirewallTool | 'auto' = 'auto'): Promise<FirewallTool> {
	if (force !== 'auto') {
		const problem = await tryTool(force);
		if (problem) {
			throw new FirewallUnavailable(forcedToolError(force, problem));
		}

		return force;
	}

	const iptables = await tryTool('iptables');
	if (!iptables) {
		return 'iptables';
	}

	const nft = await tryTool('nft');
	if (!nft) {
		return 'nft';
	}

	throw new FirewallUnavailable(noToolError(iptables, nft));
}

/**
 * Drops inbound TCP from the client's port. Returns the rule's command line as it ran,
 * e.g. `iptables -A INPUT -p tcp --sport 40526 -j DROP` (nft's table and chain are
 * prepared first; those lines are in {@link nftSetupCommands}).
 */
export async function dropOn(tool: FirewallTool, clientPort: number): Promise<string> {
	const commands = dropCommands(tool, clientPort);
	for (const cmd of commands) {
		await run(cmd);
	}

	return commands.filter((cmd) => !cmd.setup).map((cmd) => cmd.line).join(' && ');
}

async function nftRules(clientPort: number): Promise<NftDropRule[]> {
	try {
		const {stdout} = await run(counterCommand('nft'));
		return parseNftDropRules(stdout, clientPort);
	} catch (error) {
		// The lab's table or chain does not exist (yet): there is no rule.
		if (/No such file or directory/.test((error as Error).message)) {
			return [];
		}

		throw error;
	}
}

/**
 * Takes the drop away: every drop rule for the client's port. Returns the command
 * line(s) as they ran. Fails if there is no such rule.
 */
export async function dropOff(tool: FirewallTool, clientPort: number): Promise<string> {
	let commands: FirewallCommand[];
	if (tool === 'iptables') {
		const {stdout} = await run(counterCommand('iptables'));
		const rules = parseIptablesDropCounters(stdout, clientPort).length;
		const [remove] = allowCommands('iptables', clientPort);
		commands = Array.from({length: rules}, () => remove!);
	} else {
		const handles = (await nftRules(clientPort)).flatMap((rule) => (rule.handle === undefined ? [] : [rule.handle]));
		commands = allowCommands('nft', clientPort, handles);
	}

	if (commands.length === 0) {
		throw new Error(`there is no drop rule for client port ${clientPort} to take away`);
	}

	for (const cmd of commands) {
		await run(cmd);
	}

	return [...new Set(commands.map((cmd) => cmd.line))].join(' && ');
}

/** The drop rules' own packet counter for the client's port (summed; 0 without a rule). */
export async function droppedCount(tool: FirewallTool, clientPort: number): Promise<number> {
	if (tool === 'iptables') {
		const {stdout} = await run(counterCommand('iptables'));
		return parseIptablesDropCounters(stdout, clientPort).reduce((sum, n) => sum + n, 0);
	}

	return (await nftRules(clientPort)).reduce((sum, rule) => sum + rule.packets, 0);
}
