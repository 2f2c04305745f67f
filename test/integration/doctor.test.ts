/**
 * `ka-tutorial doctor` for real, on this machine: as root, as an ordinary user, without a
 * firewall tool (hidden in a mount namespace of its own), and with user namespaces really
 * unavailable (a limit of 0 set inside a user namespace of its own). The host's tools and
 * sysctls are never touched. Run `npm run build` first.
 */
import {existsSync, readlinkSync, writeFileSync} from 'node:fs';
import {expect} from 'vitest';
import {type CliRun, cliPath, descendants, netnsOf, startCli, waitUntil} from '../helpers/cli.js';
import {asNobody, where} from '../helpers/privilege.js';
import {withoutFirewall} from '../helpers/without-firewall.js';
import {expectNothingLeft, untilEnded} from './leftover-check.js';

/** Waits for doctor to end; checks it left no process and no namespace; returns its exit code and lines. */
async function finish(cli: CliRun) {
	const {code, started} = await untilEnded(cli, 20_000, 'doctor to end');
	await expectNothingLeft(started);
	return {code, lines: cli.lines, stderr: cli.stderr()};
}

function doctor(prefix: string[] = []) {
	expect(existsSync(cliPath), 'run `npm run build` first').toBe(true);
	return finish(startCli(['doctor'], {prefix}));
}

/** The line of check `name` (several for user namespaces). */
const lineOf = (lines: string[], name: string) => lines.filter(line => line.slice(2).startsWith(`${name} `));

where('root', 'sandbox', 'firewall').it('as root: every check passes and the mini-lab drops an answer; exit 0', async () => {
	const {code, lines, stderr} = await doctor();
	expect(stderr).toBe('');
	expect(code, lines.join('\n')).toBe(0);
	// Piped, the terminal is a warning, not a failure.
	expect(lineOf(lines, 'terminal')).toEqual([expect.stringMatching(/^! terminal +stdout is not a terminal/)]);
	expect(lines.filter(line => line.startsWith('✗'))).toEqual([]);
	expect(lineOf(lines, 'user namespaces')).toEqual([expect.stringMatching(/^✓ user namespaces +not needed as root/)]);
	expect(lineOf(lines, 'lab namespace')).toEqual([expect.stringMatching(/^✓ lab namespace +`unshare --net`, ready in /)]);
	expect(lineOf(lines, 'keepalive probe')).toEqual([expect.stringMatching(/^✓ keepalive probe +sent at 1\.\d{3} s/)]);
	expect(lineOf(lines, 'drop')).toEqual([expect.stringMatching(/^✓ drop +`(iptables -A INPUT|nft add rule).*`: its counter counted [1-9]\d* dropped answers?$/)]);
	expect(lines.at(-1)).toBe('The full tutorial will work here (1 warning, marked !).');
});

where('root', 'sandbox', 'firewall').it('Ctrl-C during the mini-lab stops it: exit 130, nothing left', async () => {
	const cli = startCli(['doctor']);
	const ours = netnsOf(process.pid);
	const inLab = () => descendants(cli.child.pid!).filter(pid => netnsOf(pid) !== ours);
	await waitUntil(() => inLab().length > 0, 10_000, "the mini-lab's namespace");
	const lab = new Set(inLab());
	cli.child.kill('SIGINT');
	const {code} = await finish(cli);
	expect(code).toBe(130);
	await expectNothingLeft(lab);
});

where('nobody-userns', 'firewall').it('as an ordinary user: each user-namespace switch is read, and the lab runs in a user namespace', async () => {
	const {code, lines} = await doctor(asNobody);
	expect(code, lines.join('\n')).toBe(0);
	const switches = lineOf(lines, 'user namespaces');
	expect(switches).toHaveLength(3);
	expect(switches.join('\n')).toMatch(/user\.max_user_namespaces = \d+/);
	expect(lineOf(lines, 'lab namespace')).toEqual([expect.stringMatching(/^✓ lab namespace +`unshare --user --map-root-user --net`/)]);
	expect(lineOf(lines, 'drop')).toEqual([expect.stringMatching(/^✓ drop /)]);
});

where('root', 'sandbox').it('without iptables and nft: ✗ with what to install, the watching lessons still run, exit 1', async () => {
	const {code, lines} = await doctor(withoutFirewall());
	expect(code, lines.join('\n')).toBe(1);
	expect(lineOf(lines, 'firewall')).toEqual([
		'✗ firewall         neither iptables nor nft found: lessons 3–5, 11, 13 still run, since they only watch; lessons 6, 8–10, 12 cannot drop → sudo apt-get install iptables (or nftables)',
	]);
	// The lab itself still comes up and watches; it says why it cannot drop.
	expect(lineOf(lines, 'lab namespace')).toEqual([expect.stringMatching(/^✓ /)]);
	expect(lineOf(lines, 'keepalive probe')).toEqual([expect.stringMatching(/^✓ /)]);
	expect(lineOf(lines, 'drop')).toEqual([
		expect.stringMatching(/^✗ drop +neither iptables nor nft is installed .*: lessons 3–5, 11, 13 still run, since they only watch; lessons 6, 8–10, 12 cannot drop → Install one of them/),
	]);
	expect(lines.at(-1)).toBe('The full tutorial will not work here until the ✗ lines are fixed.');
});

/**
 * Runs doctor as `nobody` inside a user namespace whose user.max_user_namespaces is 0:
 * there the kernel really refuses `nobody` a user namespace, and only there. The map of
 * that namespace (all of 0–65535 onto themselves, so that nobody exists in it) is
 * written from here, as root; the shell waits for it, then a fresh exec (which has root's
 * capabilities in the namespace, now that uid 0 is mapped) sets the limit.
 */
async function doctorWithoutUserNamespaces() {
	const setLimit = `read mapped && exec sh -c 'echo 0 > /proc/sys/user/max_user_namespaces && exec "$@"' sh "$@"`;
	const cli = startCli(['doctor'], {prefix: ['unshare', '--user', 'sh', '-c', setLimit, 'sh', ...asNobody], spawn: {stdio: ['pipe', 'pipe', 'pipe']}});
	const pid = cli.child.pid!;
	const ours = readlinkSync('/proc/self/ns/user');
	await waitUntil(() => readlinkSync(`/proc/${pid}/ns/user`) !== ours, 5000, 'unshare to make the user namespace');
	writeFileSync(`/proc/${pid}/uid_map`, '0 0 65536\n');
	writeFileSync(`/proc/${pid}/gid_map`, '0 0 65536\n');
	cli.child.stdin!.end('\n');
	return finish(cli);
}

where('root', 'nobody', 'firewall').it('with user namespaces unavailable: ✗ names the switch and its fix, the lab is not tried, exit 1', async () => {
	const {code, lines, stderr} = await doctorWithoutUserNamespaces();
	expect(stderr).toBe('');
	expect(code, lines.join('\n')).toBe(1);
	expect(lineOf(lines, 'user namespaces')).toContain(
		"✗ user namespaces  user.max_user_namespaces = 0: ordinary users may not make the lab's namespace → sudo sysctl -w user.max_user_namespaces=10000, or run the tutorial as root: sudo npx ka-tutorial",
	);
	expect(lineOf(lines, 'lab namespace')).toEqual(['✗ lab namespace    not tried: the lab needs the ✗ above fixed first']);
	expect(lineOf(lines, 'keepalive probe')).toEqual([]);
	expect(lines.at(-1)).toBe('The full tutorial will not work here until the ✗ lines are fixed.');
});
