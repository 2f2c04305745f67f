/**
 * A machine without iptables and nft (test/helpers/without-firewall.ts). The built CLI
 * (`npm run build`) runs in there.
 */
import {existsSync} from 'node:fs';
import path from 'node:path';
import {expect} from 'vitest';
import type {LabEvent} from '../../source/lab/shared/events.js';
import {cliPath, root, startCli} from '../helpers/cli.js';
import {where} from '../helpers/privilege.js';
import {withoutFirewall} from '../helpers/without-firewall.js';
import {expectNothingLeft, untilEnded} from './leftover-check.js';

/**
 * Runs the built CLI (or, with `script`, node on a script) without a firewall; returns its
 * output, and checks that it left no process and no namespace.
 */
async function run(args: string[], script?: string) {
	expect(existsSync(cliPath), 'run `npm run build` first').toBe(true);
	const cli = script === undefined ? startCli(args, {prefix: withoutFirewall()}) : startCli(['-e', script], {prefix: withoutFirewall(), cli: '--input-type=module'});
	const {code, started} = await untilEnded(cli, 20_000, 'the run to end');
	await expectNothingLeft(started);
	return {code, stdout: cli.lines, stderr: cli.stderr()};
}

const noFirewall = where('root', 'sandbox');

noFirewall.it('`lab --json` gives a script one lab error event, with the fix, and exits 2', async () => {
	const {code, stdout, stderr} = await run(['lab', '--json']);
	expect(code).toBe(2);
	expect(stderr).toBe('');
	expect(stdout).toHaveLength(1);
	expect(JSON.parse(stdout[0]!)).toEqual({
		t: 0,
		type: 'lab',
		event: 'error',
		message: "neither iptables nor nft is installed (looked in PATH and in /usr/local/sbin, /usr/sbin, /sbin).",
		fix: 'Install one of them: Debian/Ubuntu: sudo apt-get install iptables (or nftables).',
	});
});

noFirewall.it('`lab` says it once: what is wrong, then what to install', async () => {
	const {code, stdout, stderr} = await run(['lab']);
	expect(code).toBe(2);
	expect(stdout).toEqual([]);
	expect(stderr.trim().split('\n')).toEqual([
		"ka-tutorial: neither iptables nor nft is installed (looked in PATH and in /usr/local/sbin, /usr/sbin, /sbin).",
		'Install one of them: Debian/Ubuntu: sudo apt-get install iptables (or nftables).',
	]);
});

noFirewall.it('`lab --firewall nft` names the nftables package', async () => {
	const {code, stderr} = await run(['lab', '--firewall', 'nft']);
	expect(code).toBe(2);
	expect(stderr).toMatch(/^ka-tutorial: nft is not installed/);
	expect(stderr).toContain('sudo apt-get install nftables');
	expect(stderr).not.toContain('apt-get install iptables');
	expect(stderr.match(/apt-get/g)).toHaveLength(1);
});

// The lab as the tutorial uses it: lessons 3 to 5 only watch, so it must run without a firewall.
const driver = `
const {createLab} = await import(${JSON.stringify(path.join(root, 'dist/lab/host/lab.js'))});
const lab = createLab({idle: 1, intvl: 1, probes: 3});
const events = [];
lab.subscribe(event => events.push(event));
const out = {};
try {
	await lab.start();
	const until = Date.now() + 10000;
	while (Date.now() < until && !events.some(e => e.type === 'packet' && e.kind === 'keepalive-ack')) await new Promise(r => setTimeout(r, 50));
	await lab.setDrop(true).then(() => (out.dropped = true), error => (out.dropError = {message: error.message, fix: error.fix}));
} catch (error) {
	out.startError = error.message;
}
await lab.stop();
out.events = events;
console.log(JSON.stringify(out));
`;

noFirewall.it('the lab itself still runs, says it has no firewall, and refuses the drop with the fix', async () => {
	const {code, stdout, stderr} = await run([], driver);
	expect(code, stderr).toBe(0);
	const out = JSON.parse(stdout.at(-1)!) as {events: LabEvent[]; dropError?: {message: string; fix: string}; startError?: string};
	expect(out.startError).toBeUndefined();
	const ready = out.events.find(event => event.type === 'lab' && event.event === 'ready');
	expect(ready).toMatchObject({
		firewall: 'none',
		firewallProblem: {message: expect.stringMatching(/^neither iptables nor nft is installed/), fix: expect.stringContaining('apt-get install iptables')},
	});
	// It watches as ever: the handshake and an answered probe.
	expect(out.events.some(event => event.type === 'packet' && event.kind === 'keepalive-ack')).toBe(true);
	expect(out.dropError).toEqual({
		message: expect.stringMatching(/^The lab cannot drop packets: neither iptables nor nft is installed/),
		fix: 'Install one of them: Debian/Ubuntu: sudo apt-get install iptables (or nftables).',
	});
	expect(out.events.filter(event => event.type === 'firewall')).toEqual([]);
});
