/**
 * `lab --scenario frozen` for real (run `npm run build` first): the client's process is
 * stopped with SIGSTOP, yet its kernel ACKs the server's request and answers the probes.
 */
import {readFileSync} from 'node:fs';
import {expect} from 'vitest';
import type {LabEvent, PacketEvent, PeerEvent, SummaryEvent} from '../../source/lab/shared/events.js';
import {parseEvents, startCli, waitUntil} from '../helpers/cli.js';
import {where} from '../helpers/privilege.js';

const processState = (pid: number) => {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
};

for (const sandbox of ['netns', 'userns'] as const) {
	where(sandbox === 'netns' ? 'root' : 'sandbox').describe(`lab --scenario frozen (${sandbox})`, () => {
		where('sandbox').it("keeps answering probes and ACKs the request while the client's application is stopped", async () => {
			const run = startCli(['lab', '--json', '--scenario', 'frozen', '--sandbox', sandbox, '--idle', '1', '--intvl', '1', '--probes', '3']);
			let events: LabEvent[] = [];
			await waitUntil(() => (events = parseEvents(run.lines)).some(e => e.type === 'peer' && e.event === 'frozen'), 10_000, 'the client frozen');
			const frozen = events.find((e): e is PeerEvent => e.type === 'peer')!;
			// The kernel's own word that the process is stopped, not ours.
			expect(processState(frozen.pid)).toBe('T');
			const {code} = await run.exit;
			expect(run.stderr()).toBe('');
			expect(code).toBe(0);
			events = parseEvents(run.lines);

			const resumed = events.find((e): e is PeerEvent => e.type === 'peer' && e.event === 'resumed')!;
			const whileFrozen = (p: PacketEvent) => p.t > frozen.t && p.t < resumed.t;
			const all = events.filter((e): e is PacketEvent => e.type === 'packet');
			const request = all.find(p => p.from === 'server' && p.kind === 'data')!;
			expect(whileFrozen(request)).toBe(true);
			// Its kernel ACKs the request at once, and answers each probe.
			const ack = all.find(p => p.from === 'client' && p.t >= request.t && p.relAck === request.relSeq + request.len)!;
			expect(whileFrozen(ack)).toBe(true);
			expect(all.filter(p => whileFrozen(p) && p.kind === 'keepalive-ack').length).toBeGreaterThanOrEqual(2);
			// Its application reads and answers only once it runs again.
			const clientApp = events.filter(e => e.type === 'app' && e.side === 'client');
			expect(clientApp.every(e => e.t >= resumed.t)).toBe(true);
			expect(clientApp.map(e => e.type === 'app' && [e.event, e.text])).toEqual([
				['received', 'GET /status\n'],
				['sent', 're: GET /status\n'],
			]);
			expect(all.find(p => p.from === 'client' && p.kind === 'data')!.t).toBeGreaterThanOrEqual(resumed.t);
			expect(events.filter(e => e.type === 'socket' && e.event === 'error')).toEqual([]);
			expect(events.at(-1) as SummaryEvent).toMatchObject({type: 'summary', scenario: 'frozen', ok: true, requestAckedAt: ack.t});
		});
	});
}
