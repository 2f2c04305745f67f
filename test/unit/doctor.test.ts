import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {allPassed, type Check} from '../../source/doctor/check.js';
import {firewallCheck, type Machine, meetsRange, nodeCheck, sandboxChecks} from '../../source/doctor/checks.js';
import {formatCheck, verdict} from '../../source/doctor/format.js';
import {lessonList, lessonNeeds, withoutDrop} from '../../source/doctor/lesson-needs.js';
import {terminalChecks} from '../../source/doctor/terminal-checks.js';
import {en} from '../../source/ui/messages/messages.js';

const words = en.doctor;

const lessons = {watching: [3, 4, 5], dropping: [6]};

/** A machine whose PATH holds `tools` (name → full path) and whose sysctls are `sysctls`; root unless `uid` says otherwise. */
function machine({tools = {}, sysctls = {}, ...rest}: {tools?: Record<string, string>; sysctls?: Record<string, string>} & Partial<Machine> = {}): Machine {
	return {
		platform: 'linux',
		release: '6.1.0',
		uid: 0,
		findTool: name => tools[name],
		readSysctl: name => sysctls[name],
		...rest,
	};
}

const allTools = {unshare: '/usr/bin/unshare', ip: '/usr/sbin/ip', iptables: '/usr/sbin/iptables', nft: '/usr/sbin/nft'};

describe('the machine checks', () => {
	it('as root: Linux, unshare and ip; user namespaces are not needed', () => {
		expect(sandboxChecks(machine({tools: allTools}), lessons, words)).toEqual([
			{status: 'ok', name: 'Linux', detail: 'kernel 6.1.0'},
			{status: 'ok', name: 'unshare', detail: '/usr/bin/unshare (util-linux)'},
			{status: 'ok', name: 'ip', detail: '/usr/sbin/ip (iproute2)'},
			{status: 'ok', name: 'user namespaces', detail: 'not needed as root (the lab uses `unshare --net`); run doctor without sudo to check them for ordinary users'},
		]);
	});

	it('names the package of a missing tool', () => {
		const checks = sandboxChecks(machine({tools: {ip: '/usr/sbin/ip'}}), lessons, words);
		expect(checks.find(check => check.name === 'unshare')).toEqual({
			status: 'fail',
			name: 'unshare',
			detail: 'not found in PATH nor in /usr/local/sbin, /usr/sbin, /sbin',
			fix: 'sudo apt-get install util-linux',
		});
	});

	it('as an ordinary user: one line per switch, absent switches pass', () => {
		const checks = sandboxChecks(machine({tools: allTools, uid: 1000, sysctls: {'user.max_user_namespaces': '63000'}}), lessons, words);
		expect(checks.filter(check => check.name === 'user namespaces')).toEqual([
			{status: 'ok', name: 'user namespaces', detail: 'kernel.unprivileged_userns_clone: not a switch on this kernel'},
			{status: 'ok', name: 'user namespaces', detail: 'user.max_user_namespaces = 63000'},
			{status: 'ok', name: 'user namespaces', detail: 'kernel.apparmor_restrict_unprivileged_userns: not a switch on this kernel'},
		]);
		expect(allPassed(checks)).toBe(true);
	});

	it.each([
		['kernel.unprivileged_userns_clone', '0', 'sudo sysctl -w kernel.unprivileged_userns_clone=1'],
		['user.max_user_namespaces', '0', 'sudo sysctl -w user.max_user_namespaces=10000'],
		['kernel.apparmor_restrict_unprivileged_userns', '1', 'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0'],
	])('with %s = %s: ✗ with the switch to flip', (sysctl, value, flip) => {
		const checks = sandboxChecks(machine({tools: allTools, uid: 1000, sysctls: {[sysctl]: value}}), lessons, words);
		expect(checks.filter(check => check.status === 'fail')).toEqual([
			{
				status: 'fail',
				name: 'user namespaces',
				detail: `${sysctl} = ${value}: ordinary users may not make the lab's namespace`,
				fix: `${flip}, or run the tutorial as root: sudo npx ka-tutorial`,
			},
		]);
	});

	it('as root, a switch that is off does not matter', () => {
		expect(allPassed(sandboxChecks(machine({tools: allTools, sysctls: {'user.max_user_namespaces': '0'}}), lessons, words))).toBe(true);
	});

	it('off Linux: one line, saying which lessons need the lab', () => {
		expect(sandboxChecks(machine({platform: 'darwin', tools: allTools}), lessons, words)).toEqual([
			{
				status: 'fail',
				name: 'Linux',
				detail: 'this is darwin: the lab needs Linux network namespaces; lessons 3–6 need the lab, the others work here',
				fix: 'run ka-tutorial on Linux (a VM or a Linux container with its own kernel works)',
			},
		]);
	});
});

describe('the firewall check', () => {
	it('says which tool the lab will use: iptables first, else nft', () => {
		expect(firewallCheck(machine({tools: allTools}), lessons, words)).toEqual({status: 'ok', name: 'firewall', detail: 'the lab will use iptables, /usr/sbin/iptables (nft is here too)'});
		expect(firewallCheck(machine({tools: {iptables: '/sbin/iptables'}}), lessons, words).detail).toBe('the lab will use iptables, /sbin/iptables');
		expect(firewallCheck(machine({tools: {nft: '/usr/sbin/nft'}}), lessons, words).detail).toBe('the lab will use nft, /usr/sbin/nft (no iptables)');
	});

	it('with a PATH without either: ✗, what to install, and that the watching lessons still run', () => {
		expect(firewallCheck(machine({tools: {unshare: '/usr/bin/unshare', ip: '/usr/sbin/ip'}}), lessons, words)).toEqual({
			status: 'fail',
			name: 'firewall',
			detail: 'neither iptables nor nft found: lessons 3–5 still run, since they only watch; lesson 6 cannot drop',
			fix: 'sudo apt-get install iptables (or nftables)',
		});
	});
});

describe('the Node check', () => {
	it.each([
		['20.0.0', '>=20', true],
		['v20.20.2', '>=20', true],
		['22.1.0', '>=20', true],
		['18.19.1', '>=20', false],
		['20.4.9', '>=20.5', false],
		['20.5.0', '>= 20.5.0', true],
	])('%s against %s: %s', (version, range, meets) => {
		expect(meetsRange(version, range)).toBe(meets);
	});

	it('refuses a range it cannot read rather than guess', () => {
		expect(() => meetsRange('20.0.0', '^20')).toThrow('engines.node "^20"');
	});

	it("understands package.json's own range, and this Node meets it", () => {
		const {engines} = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {engines: {node: string}};
		expect(nodeCheck(process.versions.node, engines.node, words).status).toBe('ok');
	});

	it('says what to install when Node is too old', () => {
		expect(nodeCheck('18.19.1', '>=20', words)).toEqual({
			status: 'fail',
			name: 'Node',
			detail: '18.19.1 is too old (package.json engines: node >=20)',
			fix: 'install Node 20 or newer (https://nodejs.org)',
		});
	});
});

describe('the terminal checks', () => {
	it('piped: one warning, which does not fail the run', () => {
		const checks = terminalChecks({isTTY: false}, words);
		expect(checks).toEqual([expect.objectContaining({status: 'warn', name: 'terminal'})]);
		expect(allPassed(checks)).toBe(true);
	});

	it('a terminal of 80×24 or more with colours passes', () => {
		expect(terminalChecks({isTTY: true, columns: 80, rows: 24, colorDepth: 8}, words)).toEqual([
			{status: 'ok', name: 'terminal', detail: 'stdout is a terminal'},
			{status: 'ok', name: 'terminal size', detail: '80×24 (80×24 or larger)'},
			{status: 'ok', name: 'colours', detail: '256 colours'},
		]);
	});

	it.each([
		[60, 30, 'warn', '60×30: the tutorial runs, but below 80 columns the lab pane goes under the lesson'],
		[120, 20, 'warn', '120×20: the tutorial runs, but long steps scroll'],
		[39, 30, 'fail', '39×30: below 40×15 the tutorial only asks for a bigger window'],
		[100, 14, 'fail', '100×14: below 40×15 the tutorial only asks for a bigger window'],
	])('%d×%d: %s', (columns, rows, status, detail) => {
		expect(terminalChecks({isTTY: true, columns, rows, colorDepth: 24}, words)[1]).toEqual({status, name: 'terminal size', detail, fix: 'make the window 80×24 or larger'});
	});

	it('no colours is a warning', () => {
		expect(terminalChecks({isTTY: true, columns: 80, rows: 24, colorDepth: 1}, words)[2]).toMatchObject({status: 'warn', name: 'colours', fix: 'unset NO_COLOR, or use a terminal with colours'});
	});
});

describe('the lessons a firewall matters to', () => {
	it('lab lessons with a drop-on prompt drop; the other lab lessons only watch', () => {
		const lessons = [
			{lab: false, steps: [{kind: 'read'}]},
			{lab: true, steps: [{kind: 'read'}, {kind: 'wait'}]},
			{lab: true, steps: [{kind: 'prompt', action: 'drop-on'}]},
			{lab: true, steps: [{kind: 'prompt', action: 'restart'}]},
		];
		expect(lessonNeeds(lessons)).toEqual({watching: [2, 4], dropping: [3]});
	});

	it.each([
		[[6], 'lesson 6'],
		[[3, 4, 5], 'lessons 3–5'],
		[[2, 4, 5, 7], 'lessons 2, 4–5, 7'],
	])('%j reads "%s"', (numbers, text) => {
		expect(lessonList(numbers, words)).toBe(text);
	});

	it('says what still runs without the drop', () => {
		expect(withoutDrop({watching: [3, 4, 5], dropping: [6]}, words)).toBe('lessons 3–5 still run, since they only watch; lesson 6 cannot drop');
		expect(withoutDrop({watching: [2], dropping: [3, 4]}, words)).toBe('lesson 2 still runs, since it only watches; lessons 3–4 cannot drop');
		expect(withoutDrop({watching: [], dropping: [1]}, words)).toBe('lesson 1 cannot drop');
	});
});

describe('the report', () => {
	const fail: Check = {status: 'fail', name: 'ip', detail: 'not found', fix: 'sudo apt-get install iptables'};

	it('one line a check: mark, name in a column, detail, and the fix after a failure or warning', () => {
		expect(formatCheck({status: 'ok', name: 'Linux', detail: 'kernel 6.1.0', fix: 'unused'}, false, words)).toBe('✓ Linux            kernel 6.1.0');
		expect(formatCheck(fail, false, words)).toBe('✗ ip               not found → sudo apt-get install iptables');
		expect(formatCheck({status: 'warn', name: 'colours', detail: 'none'}, false, words)).toBe('! colours          none');
	});

	it('colours only the mark', () => {
		expect(formatCheck(fail, true, words)).toBe('\u001B[31m✗\u001B[39m ip               not found → sudo apt-get install iptables');
	});

	it('ends with whether the full tutorial will work', () => {
		const ok: Check = {status: 'ok', name: 'Linux', detail: ''};
		const warn: Check = {status: 'warn', name: 'terminal', detail: ''};
		expect(verdict([ok], words)).toBe('The full tutorial will work here.');
		expect(verdict([ok, warn, warn], words)).toBe('The full tutorial will work here (2 warnings, marked !).');
		expect(verdict([ok, warn, fail], words)).toBe('The full tutorial will not work here until the ✗ lines are fixed.');
	});
});
