import {describe, expect, it} from 'vitest';
import {
	allowCommands,
	counterCommand,
	dropCommands,
	errorDetail,
	forcedToolError,
	noToolError,
	nftSetupCommands,
	parseIptablesDropCounters,
	parseNftDropRules,
	probeCommand,
	shellLine,
	shellWord,
} from '../../source/lab/agent/firewall.js';

// Real output, from inside a network namespace (iptables v1.8.9 (nf_tables), nftables v1.0.6),
// after two SYNs from ports 40526 and 40527 were dropped.
const iptablesOutput = `Chain INPUT (policy ACCEPT 0 packets, 0 bytes)
    pkts      bytes target     prot opt in     out     source               destination         
       2      120 DROP       6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp spt:40526
       0        0 DROP       6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp spt:40526
`;

const nftOutput = `table inet ka {
	chain input { # handle 1
		type filter hook input priority filter; policy accept;
		tcp sport 40527 counter packets 2 bytes 120 drop # handle 2
	}
}
`;

describe('dropCommands', () => {
	it("is the article's iptables command", () => {
		expect(dropCommands('iptables', 40526)).toEqual([
			{argv: ['iptables', '-A', 'INPUT', '-p', 'tcp', '--sport', '40526', '-j', 'DROP'], line: 'iptables -A INPUT -p tcp --sport 40526 -j DROP'},
		]);
	});

	it("is nft's rule in the lab's own table and chain, set up first", () => {
		const commands = dropCommands('nft', 40526);
		expect(commands.map((command) => command.line)).toEqual([
			'nft add table inet ka',
			"nft add chain inet ka input '{ type filter hook input priority 0; policy accept; }'",
			'nft add rule inet ka input tcp sport 40526 counter drop',
		]);
		expect(commands.map((command) => command.setup ?? false)).toEqual([true, true, false]);
		expect(commands.slice(0, 2)).toEqual(nftSetupCommands());
		// The chain's spec is one argument: execFile passes it as is, no shell involved.
		expect(commands[1]?.argv).toEqual(['nft', 'add', 'chain', 'inet', 'ka', 'input', '{ type filter hook input priority 0; policy accept; }']);
	});

	it('refuses what is not a port', () => {
		for (const port of [0, -1, 65_536, 1.5, Number.NaN]) {
			expect(() => dropCommands('iptables', port)).toThrow(RangeError);
			expect(() => allowCommands('nft', port, [1])).toThrow(RangeError);
		}
	});
});

describe('allowCommands', () => {
	it('deletes the iptables rule by its spec', () => {
		expect(allowCommands('iptables', 40526).map((command) => command.line)).toEqual(['iptables -D INPUT -p tcp --sport 40526 -j DROP']);
	});

	it("deletes nft's rules by handle", () => {
		expect(allowCommands('nft', 40526, [2, 5]).map((command) => command.argv)).toEqual([
			['nft', 'delete', 'rule', 'inet', 'ka', 'input', 'handle', '2'],
			['nft', 'delete', 'rule', 'inet', 'ka', 'input', 'handle', '5'],
		]);
		expect(allowCommands('nft', 40526)).toEqual([]);
	});
});

describe('read-only commands', () => {
	it('lists counters and probes without changing anything', () => {
		expect(counterCommand('iptables').line).toBe('iptables -n -v -x -L INPUT');
		expect(counterCommand('nft').line).toBe('nft -a list chain inet ka input');
		expect(probeCommand('iptables').line).toBe('iptables -n -L INPUT');
		expect(probeCommand('nft').line).toBe('nft list tables');
	});
});

describe('shell quoting', () => {
	it('leaves plain words alone and single-quotes the rest', () => {
		expect(shellWord('--sport')).toBe('--sport');
		expect(shellWord('0.0.0.0/0')).toBe('0.0.0.0/0');
		expect(shellWord('')).toBe("''");
		expect(shellWord('a b;c')).toBe("'a b;c'");
		expect(shellWord("it's")).toBe("'it'\\''s'");
		expect(shellLine(['echo', '{ x; }'])).toBe("echo '{ x; }'");
	});
});

describe('parseIptablesDropCounters', () => {
	it("reads each drop rule's packet counter", () => {
		expect(parseIptablesDropCounters(iptablesOutput, 40526)).toEqual([2, 0]);
	});

	it('ignores other ports, other targets and other matches', () => {
		expect(parseIptablesDropCounters(iptablesOutput, 4052)).toEqual([]);
		expect(parseIptablesDropCounters(iptablesOutput, 405260)).toEqual([]);
		const other = `Chain INPUT (policy ACCEPT 7 packets, 300 bytes)
    pkts      bytes target     prot opt in     out     source               destination
       9      540 ACCEPT     tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            tcp spt:40526
       4      240 DROP       tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:40526
      11      660 DROP       tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            tcp spt:40526
`;
		expect(parseIptablesDropCounters(other, 40526)).toEqual([11]);
	});

	it('reads an empty chain as no rule', () => {
		expect(parseIptablesDropCounters('Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n    pkts      bytes target     prot opt in     out     source               destination\n', 40526)).toEqual([]);
	});
});

describe('parseNftDropRules', () => {
	it("reads each rule's counter and handle", () => {
		expect(parseNftDropRules(nftOutput, 40527)).toEqual([{handle: 2, packets: 2}]);
		expect(parseNftDropRules(nftOutput, 40526)).toEqual([]);
	});

	it('reads listings without handles', () => {
		expect(parseNftDropRules('\t\ttcp sport 40527 counter packets 17 bytes 1020 drop\n', 40527)).toEqual([{handle: undefined, packets: 17}]);
	});
});

describe('error messages', () => {
	const missing = {missing: true, message: 'nft is not installed (not found in PATH nor in /usr/sbin)'};
	const failing = {missing: false, message: '`iptables -n -L INPUT` failed: Permission denied (you must be root)'};

	it('names the package of the tool that is missing', () => {
		expect(forcedToolError('nft', missing)).toEqual({
			message: 'nft is not installed (not found in PATH nor in /usr/sbin).',
			fix: 'Install it (Debian/Ubuntu: sudo apt-get install nftables) or use --firewall iptables.',
		});
		expect(forcedToolError('iptables', {...missing, message: 'iptables is not installed'}).fix).toBe(
			'Install it (Debian/Ubuntu: sudo apt-get install iptables) or use --firewall nft.',
		);
		expect(noToolError(failing, missing).fix).toBe('Install one of them: Debian/Ubuntu: sudo apt-get install iptables (or nftables).');
	});

	it('says what is wrong once, and what to do once', () => {
		const failed = forcedToolError('iptables', failing);
		expect(failed.message).toMatch(/^iptables does not work .*Permission denied/);
		expect(failed.fix).toBe('Try --firewall nft (Debian/Ubuntu package nftables).');
		expect(noToolError(failing, missing).message).toMatch(/^neither iptables nor nft works .*\(iptables: .*Permission denied.*; nft: nft is not installed/);
		const none = noToolError(missing, missing);
		expect(none.message).toBe("neither iptables nor nft is installed (looked in PATH and in /usr/local/sbin, /usr/sbin, /sbin).");
		for (const advice of [failed, none, forcedToolError('nft', missing)]) {
			expect(advice.message).not.toMatch(/apt-get/);
			expect(advice.fix.match(/apt-get install|--firewall/g)?.length).toBeGreaterThanOrEqual(1);
		}
	});
});

describe('errorDetail', () => {
	it("keeps the line that says what went wrong", () => {
		expect(errorDetail('Error: Could not process rule: Operation not permitted\nadd table inet ka\n^^^^^^^^^^^^^^^^^^\n')).toBe(
			'Error: Could not process rule: Operation not permitted',
		);
		expect(errorDetail('iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n\n')).toBe(
			'iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)',
		);
		expect(errorDetail('')).toBeUndefined();
	});
});
