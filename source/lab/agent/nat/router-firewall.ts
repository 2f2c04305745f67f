/**
 * The router's netfilter: it masquerades the client behind its server-side address, and
 * one rule drops what conntrack calls INVALID — with `nf_conntrack_tcp_loose=0`, a
 * mid-stream segment of a connection whose entry has expired — so that the rule's own
 * counter says how many of the client's packets died at the router. Runs in the
 * router's namespace (nsenter); the tool is the one the agent found working.
 *
 * Pure parts (the commands, the counter parsers) are exported for tests.
 */
import type {FirewallTool} from '../../shared/events.js';
import {type FirewallCommand, run, shellLine} from '../firewall.js';

/** nft's table of the router's own (iptables uses the built-in nat and filter tables). */
const nftTable = 'ka-nat';

const command = (argv: string[]): FirewallCommand => ({argv, line: shellLine(argv)});

/** Masquerading out of `outside` (the server-side interface), then the INVALID drop in FORWARD; the last command is the drop rule. */
export function routerCommands(tool: FirewallTool, outside: string): FirewallCommand[] {
	if (tool === 'iptables') {
		return [
			command(['iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', outside, '-j', 'MASQUERADE']),
			command(['iptables', '-A', 'FORWARD', '-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP']),
		];
	}

	return [
		command(['nft', 'add', 'table', 'ip', nftTable]),
		command(['nft', 'add', 'chain', 'ip', nftTable, 'postrouting', '{ type nat hook postrouting priority srcnat; policy accept; }']),
		command(['nft', 'add', 'rule', 'ip', nftTable, 'postrouting', 'oifname', outside, 'masquerade']),
		command(['nft', 'add', 'chain', 'ip', nftTable, 'forward', '{ type filter hook forward priority filter; policy accept; }']),
		command(['nft', 'add', 'rule', 'ip', nftTable, 'forward', 'ct', 'state', 'invalid', 'counter', 'drop']),
	];
}

/** The INVALID drop rule's own command line. */
export function invalidRuleLine(tool: FirewallTool): string {
	// The rule names no interface: any name gives the same last line.
	return routerCommands(tool, '').at(-1)!.line;
}

/** The command whose output holds the INVALID rule's counter. */
export function invalidCounterCommand(tool: FirewallTool): FirewallCommand {
	return tool === 'iptables' ? command(['iptables', '-n', '-v', '-x', '-L', 'FORWARD']) : command(['nft', 'list', 'chain', 'ip', nftTable, 'forward']);
}

/**
 * The INVALID rule's packet counter, from `iptables -nvxL FORWARD`:
 *
 *     7      420 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate INVALID
 *
 * or from `nft list chain ip ka-nat forward`: `ct state invalid counter packets 7 bytes 420 drop`.
 * Undefined when the output has no such rule.
 */
export function parseInvalidCounter(tool: FirewallTool, output: string): number | undefined {
	const re = tool === 'iptables' ? /^\s*(\d+)\s+\d+\s+DROP\s.*\sctstate INVALID\s*$/ : /^\s*ct state invalid counter packets (\d+) bytes \d+ drop\b/;
	for (const line of output.split('\n')) {
		const m = re.exec(line);
		if (m) return Number(m[1]);
	}

	return undefined;
}

/** Sets the router's rules up in the namespace of `routerPid`; returns the command lines as they ran. */
export async function setUpRouter(tool: FirewallTool, routerPid: number, outside: string): Promise<string[]> {
	const commands = routerCommands(tool, outside);
	for (const cmd of commands) await run(cmd, routerPid);
	return commands.map(cmd => cmd.line);
}

/** The INVALID rule's own counter now. */
export async function invalidDropped(tool: FirewallTool, routerPid: number): Promise<number> {
	const cmd = invalidCounterCommand(tool);
	const {stdout} = await run(cmd, routerPid);
	const count = parseInvalidCounter(tool, stdout);
	if (count === undefined) throw new Error(`\`${cmd.line}\` shows no INVALID drop rule`);
	return count;
}
