/**
 * The firewall drop (dist/lab/agent/firewall.js) in real namespaces: run `npm run build` first.
 * A driver runs the article's experiment in small (keepalive idle 1 s, intvl 1 s,
 * 3 probes; the client's packets dropped from 200 ms on) with each tool and each kind
 * of namespace, and the host's firewall must come out of it untouched.
 */
import {afterAll, beforeAll, expect, it} from 'vitest';
import type {FirewallTool, KernelReading} from '../../source/lab/shared/events.js';
import {type Need, where} from '../helpers/privilege.js';
import {hostRuleset, isRoot, killDrivers, type RunAs, runDriver} from './drivers/run-driver.js';

type Segment = {tsMicros: number; afterDrop: boolean; srcPort: number; dstPort: number; seq: number; ack: number; flags: string[]; len: number};

type FirewallRun = {
	uidMap: string;
	tool: FirewallTool;
	detectError?: string;
	clientPort: number;
	frames: Segment[];
	kernel: Array<KernelReading & {at: number}>;
	countBefore: number;
	dropCommand: string;
	rulesWhileDropping: string;
	events: Array<{side: string; error: string; at: number}>;
	countWhileOn: number;
	allowCommand: string;
	countAfterOff: number;
	rulesAfterOff: string;
	secondOffError?: string;
};

const port = 40526;
let hostBefore = '';

beforeAll(() => {
	if (isRoot) hostBefore = hostRuleset();
});

afterAll(() => {
	killDrivers();
	if (isRoot) {
		// Nothing of any run is left on the host.
		expect(hostRuleset()).toBe(hostBefore);
	}
});

function checkExperiment(run: FirewallRun, tool: FirewallTool): void {
	const {clientPort} = run;
	expect(run.tool).toBe(tool);
	expect(run.dropCommand).toBe(
		tool === 'iptables' ? `iptables -A INPUT -p tcp --sport ${clientPort} -j DROP` : `nft add rule inet ka input tcp sport ${clientPort} counter drop`,
	);
	expect(run.rulesWhileDropping).toContain(tool === 'iptables' ? `--sport ${clientPort} -j DROP` : `tcp sport ${clientPort} counter packets 0 bytes 0 drop`);
	expect(run.countBefore).toBe(0);

	// On the wire, after the drop went on: the server's probes, each answered by the
	// client (whose answers the capture sees before netfilter drops them), then the RST.
	const after = run.frames.filter((frame) => frame.afterDrop);
	const probes = after.filter((frame) => frame.srcPort === port && frame.flags.join() === 'ACK' && frame.len === 0);
	const answers = after.filter((frame) => frame.srcPort === clientPort);
	const resets = after.filter((frame) => frame.srcPort === port && frame.flags.includes('RST'));
	expect(probes).toHaveLength(3);
	expect(answers).toHaveLength(3);
	expect(resets).toHaveLength(1);

	// The rule's own counter counted exactly the client's answers.
	expect(run.countWhileOn).toBe(answers.length);

	// The kernel's view while it happened: the keepalive timer and the unanswered probes, up to 3.
	const server = run.kernel.filter((reading) => reading.side === 'server');
	expect(server.some((reading) => reading.timer === 'keepalive')).toBe(true);
	expect(Math.max(...server.map((reading) => reading.probesOut))).toBe(3);
	expect(server.every((reading) => reading.dueIn >= 0 && reading.dueIn <= 1.05)).toBe(true);

	expect(run.events).toEqual([
		expect.objectContaining({side: 'server', error: 'ETIMEDOUT'}),
		expect.objectContaining({side: 'client', error: 'ECONNRESET'}),
	]);

	// Taken away again, with the command that ran, and nothing of it left.
	expect(run.allowCommand).toMatch(
		tool === 'iptables' ? new RegExp(`^iptables -D INPUT -p tcp --sport ${clientPort} -j DROP$`) : /^nft delete rule inet ka input handle \d+$/,
	);
	expect(run.countAfterOff).toBe(0);
	expect(run.rulesAfterOff).not.toContain(String(clientPort));
	expect(run.secondOffError).toMatch(/no drop rule/);
}

const kinds: Array<{as: RunAs; title: string; needs: Need}> = [
	{as: 'netns', title: 'as real root in `unshare --net`', needs: 'root'},
	{as: 'userns', title: 'as `nobody` in `unshare --user --map-root-user --net`', needs: 'nobody-userns'},
];

for (const {as, title, needs} of kinds) {
	// Both tools: the tests force each one, and detection must pick iptables.
	where(needs, 'iptables', 'nft').describe(`firewall drop ${title}`, () => {
		for (const tool of ['iptables', 'nft'] as const) {
			it(`drops the client's answers with ${tool} and counts them`, async () => {
				const {result, code} = await runDriver<FirewallRun>('firewall-driver.mjs', {force: tool}, as);
				expect(code).toBe(0);
				if (as === 'userns') expect(result.uidMap.split(/\s+/)).toEqual(['0', '65534', '1']);
				checkExperiment(result, tool);
			});
		}

		it('chooses iptables where it works', async () => {
			const {result} = await runDriver<FirewallRun>('firewall-driver.mjs', {force: 'auto', detectOnly: true}, as);
			expect(result.detectError).toBeUndefined();
			expect(result.tool).toBe('iptables');
		});
	});
}

where('nobody', 'iptables', 'nft').describe('firewall detection where no tool may work (`nobody`, no namespace)', () => {
	it('says so (what to install is its fix)', async () => {
		const {result} = await runDriver<FirewallRun>('firewall-driver.mjs', {force: 'auto', detectOnly: true}, 'host-nobody');
		expect(result.tool).toBeUndefined();
		expect(result.detectError).toMatch(/^neither iptables nor nft works in the lab's network namespace/);
		expect(result.detectError).toMatch(/Permission denied|not permitted/);
		// What to install is the error's `fix`, apart from the message (test/unit/firewall-commands.test.ts).
		expect(result.detectError).not.toContain('apt-get');
	});

	it('says why a forced tool does not work', async () => {
		const {result} = await runDriver<FirewallRun>('firewall-driver.mjs', {force: 'nft', detectOnly: true}, 'host-nobody');
		expect(result.detectError).toMatch(/^nft does not work in the lab's network namespace: `nft add table inet ka` failed: Error: .*Operation not permitted/);
	});
});
