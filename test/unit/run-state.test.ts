import {describe, expect, it} from 'vitest';
import type {FirewallEvent, KernelEvent, LabErrorEvent, LabEvent, PacketEvent, SocketEvent, SummaryEvent} from '../../source/lab/shared/events.js';
import {
	foldRun as labView,
	foldRunEvents as reduceLabEvents,
	initialRun as initialLabView,
	maxPackets,
	type RunState,
} from '../../source/lab/model/run-state.js';
import {summarize} from '../../source/lab/model/summary.js';
import {earlyBound, expectedTimeline, isOnTime, nextAction, silentFrom} from '../../source/lab/model/timeline.js';
import {eventsUntil, findEvent, loadEvents} from '../helpers/events.js';

/** Recorded from the real lab (test/fixtures/events/README.md). */
const run = loadEvents('fast-drop');
const until = (match: (event: LabEvent) => boolean) => reduceLabEvents(eventsUntil(run, match));
/** Where the drop went in: the first firewall event of the run. */
const dropAt = run.findIndex(event => event.type === 'firewall');
/** What a recording itself determines (the client's port, the drop rule, the RST, the summary), so that a re-recording needs no edits here. */
function recorded(events: readonly LabEvent[]) {
	const isSocket = (side: SocketEvent['side'], event: SocketEvent['event']) => (e: LabEvent): e is SocketEvent =>
		e.type === 'socket' && e.side === side && e.event === event;
	// Getters: each is looked up when a test asks for it (lab-error has no RST, for one).
	return {
		get clientPort() {
			return findEvent(events, isSocket('client', 'connected')).localPort!;
		},
		get drop() {
			return findEvent(events, (e): e is FirewallEvent => e.type === 'firewall' && e.action === 'drop');
		},
		get rst() {
			return findEvent(events, (e): e is PacketEvent => e.type === 'packet' && e.kind === 'rst');
		},
		get serverError() {
			return findEvent(events, isSocket('server', 'error'));
		},
		get clientError() {
			return findEvent(events, isSocket('client', 'error'));
		},
		get summary() {
			return findEvent(events, (e): e is SummaryEvent => e.type === 'summary');
		},
		get lastT() {
			return events.at(-1)!.t;
		},
	};
}

const fastDrop = recorded(run);
describe('foldRun', () => {
	it('starts empty', () => {
		expect(initialLabView.ready).toBe(false);
		expect(initialLabView.packets).toEqual([]);
		expect(initialLabView.counters.probesSent).toBe(0);
	});

	it('holds what a whole run reported', () => {
		const view = reduceLabEvents(run);
		expect(view).toMatchObject({
			ready: true,
			// `lab --json` ends with the summary: the lab's stopped event comes after it, unprinted.
			stopped: false,
			lastT: fastDrop.lastT,
			sandbox: 'userns',
			firewall: 'iptables',
			port: 6699,
		});
		expect(view.sockopt.server).toMatchObject({idle: 2, intvl: 1, probes: 3, nodeDefaults: {intvl: 1, probes: 10}});
		expect(view.sockopt.client).toBeNull();
		expect(view.counters).toEqual({
			serverToClient: 6, // SYN-ACK, 4 Keep-Alives, RST
			clientToServer: 6, // SYN, ACK, 4 Keep-Alive ACKs
			probesSent: 4,
			probesAnswered: 1, // the 3 ACKs after the drop are on the wire but never reach the server
			acksDropped: 3,
			rsts: 1,
		});
		const {clientPort, drop, rst, serverError, clientError, summary} = fastDrop;
		expect(drop.command).toBe(`iptables -A INPUT -p tcp --sport ${clientPort} -j DROP`);
		expect(view.drop).toMatchObject({on: true, command: drop.command, t: drop.t, droppedByRule: 3});
		expect(view.sockets.server).toMatchObject({state: 'error', code: 'ETIMEDOUT', t: serverError.t, localPort: 6699, remotePort: clientPort});
		expect(view.sockets.client).toMatchObject({state: 'error', code: 'ECONNRESET', t: clientError.t, localPort: clientPort});
		const gone = findEvent(run, (e): e is KernelEvent => e.type === 'kernel' && e.side === 'server' && e.state === 'gone');
		expect(view.kernel.server).toMatchObject({state: 'gone', t: gone.t});
		expect(view.summary).toMatchObject({ok: true, probesSent: 4, probesAnswered: 1, dropped: 3, rstAt: rst.t, expectedRstAt: summary.expectedRstAt});
		// The rule's counter went up three times: the three answers after the drop are marked dropped, nothing else.
		const answersAfterDrop = run.slice(dropAt).filter((e): e is PacketEvent => e.type === 'packet' && e.kind === 'keepalive-ack');
		expect(answersAfterDrop).toHaveLength(3);
		expect(view.packets.filter(p => p.dropped).map(p => [p.kind, p.t])).toEqual(answersAfterDrop.map(p => ['keepalive-ack', p.t]));
		expect(view.packets.map(p => p.kind)).toEqual([
			'syn',
			'syn-ack',
			'ack',
			'keepalive',
			'keepalive-ack',
			'keepalive',
			'keepalive-ack',
			'keepalive',
			'keepalive-ack',
			'keepalive',
			'keepalive-ack',
			'rst',
		]);
	});

	it('agrees with the summary on the answers the server got, and on what the rule dropped', () => {
		const {counters} = reduceLabEvents(run);
		const summary = run.find((e): e is SummaryEvent => e.type === 'summary')!;
		expect({sent: counters.probesSent, answered: counters.probesAnswered, dropped: counters.acksDropped}).toEqual({
			sent: summary.probesSent,
			answered: summary.probesAnswered,
			dropped: summary.dropped,
		});
	});

	it('counts keepalive-acks as answered only while the drop is off', () => {
		// Before the drop: the one answered probe (2.026 s).
		expect(reduceLabEvents(run.slice(0, dropAt)).counters).toMatchObject({probesSent: 1, probesAnswered: 1, clientToServer: 3});
		// After it, the next ACK (4.042 s) is captured, then dropped at the server's input.
		const afterDrop = until(e => e.type === 'packet' && e.kind === 'keepalive-ack' && e.t > 4);
		expect(afterDrop.counters).toMatchObject({probesSent: 2, probesAnswered: 1, clientToServer: 4});
		// Once the rule is taken away, answers reach the server again.
		const ack = run.filter(e => e.type === 'packet' && e.kind === 'keepalive-ack').at(-1)!;
		const allowed = reduceLabEvents(
			[{t: 6, type: 'firewall', action: 'allow', command: `iptables -D INPUT -p tcp --sport ${fastDrop.clientPort} -j DROP`, dropped: 3}, ack],
			afterDrop,
		);
		expect(allowed.counters.probesAnswered).toBe(2);
	});

	it('keeps the newest kernel reading of each side', () => {
		const isReading = (side: KernelEvent['side']) => (e: LabEvent): e is KernelEvent => e.type === 'kernel' && e.side === side;
		const at = run.findIndex(e => isReading('server')(e) && e.probesOut === 2);
		const view = reduceLabEvents(run.slice(0, at + 1));
		// Recorded: the server's reading at 5.067 s (2 probes out) and the client's just before it.
		const {type: _server, ...server} = run[at] as KernelEvent;
		const {type: _client, ...client} = run.slice(0, at).filter(isReading('client')).at(-1)!;
		expect(server).toMatchObject({side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 1, probesOut: 2});
		expect(client).toMatchObject({side: 'client', state: 'ESTABLISHED', timer: 'none', dueIn: 0, probesOut: 0});
		expect(view.kernel.server).toEqual(server);
		expect(view.kernel.client).toEqual(client);
	});

	it('keeps only the newest packets but counts them all', () => {
		const packet = (i: number): PacketEvent => ({
			t: i,
			type: 'packet',
			from: 'server',
			flags: ['ACK'],
			seq: 1,
			ack: 1,
			relSeq: 0,
			relAck: 1,
			len: 0,
			kind: 'keepalive',
		});
		const view = reduceLabEvents(Array.from({length: maxPackets + 50}, (_, i) => packet(i)));
		expect(view.packets).toHaveLength(maxPackets);
		expect(view.packets[0]?.t).toBe(50);
		expect(view.packets.at(-1)?.t).toBe(maxPackets + 49);
		expect(view.counters.probesSent).toBe(maxPackets + 50);
	});

	it('adds up the counters of successive drop rules', () => {
		const command = 'nft add rule inet ka input tcp sport 40526 counter drop';
		const events: LabEvent[] = [
			{t: 1, type: 'firewall', action: 'drop', command, dropped: 0},
			{t: 2, type: 'firewall', action: 'drop', command, dropped: 2},
			{t: 3, type: 'firewall', action: 'allow', command: 'nft delete rule inet ka input handle 4', dropped: 3},
		];
		const off = reduceLabEvents(events);
		expect(off.drop).toMatchObject({on: false, command: 'nft delete rule inet ka input handle 4'});
		expect(off.counters.acksDropped).toBe(3);
		const again = reduceLabEvents(
			[
				{t: 4, type: 'firewall', action: 'drop', command, dropped: 0},
				{t: 5, type: 'firewall', action: 'drop', command, dropped: 1},
			],
			off,
		);
		expect(again.drop.on).toBe(true);
		expect(again.counters.acksDropped).toBe(4);
	});

	it('keeps a socket error when the socket then closes', () => {
		const view = reduceLabEvents(run);
		expect(view.sockets.server.state).toBe('error');
		const closed = labView(initialLabView, {t: 1, type: 'socket', side: 'client', event: 'closed'});
		expect(closed.sockets.client).toMatchObject({state: 'closed', t: 1, code: null});
	});

	it('keeps lab errors', () => {
		// Recorded: the lab's agent was killed after the first unanswered probe.
		const events = loadEvents('lab-error');
		const {clientPort, drop, summary, lastT} = recorded(events);
		const error = findEvent(events, (e): e is LabErrorEvent => e.type === 'lab' && e.event === 'error');
		const view = reduceLabEvents(events);
		expect(view.errors).toEqual([{t: error.t, type: 'lab', event: 'error', message: 'the lab ended unexpectedly (SIGKILL): '}]);
		expect(view.stopped).toBe(true);
		expect(view).toMatchObject({sandbox: 'netns', firewall: 'nft', lastT});
		expect(view.summary).toMatchObject({ok: false, failure: 'the lab ended unexpectedly (SIGKILL): ', rstAt: null, probesSent: 2, probesAnswered: 1});
		// Whether the rule's counter was read once more before the kill is timing: the summary says (recorded: 1).
		expect(view.counters).toMatchObject({probesSent: 2, probesAnswered: 1, acksDropped: summary.dropped, rsts: 0});
		expect(drop.command).toBe(`nft add rule inet ka input tcp sport ${clientPort} counter drop`);
		expect(view.drop).toMatchObject({on: true, command: drop.command});
	});

	it('reduces a run with nft\'s drop rule the same way', () => {
		const events = loadEvents('fast-drop-nft');
		const {clientPort, drop, rst, summary} = recorded(events);
		const view = reduceLabEvents(events);
		expect(view).toMatchObject({sandbox: 'userns', firewall: 'nft', port: 6699, stopped: false});
		expect(drop.command).toBe(`nft add rule inet ka input tcp sport ${clientPort} counter drop`);
		expect(view.drop).toMatchObject({on: true, command: drop.command, droppedByRule: 3});
		expect(view.counters).toEqual({serverToClient: 6, clientToServer: 6, probesSent: 4, probesAnswered: 1, acksDropped: 3, rsts: 1});
		expect(view.summary).toMatchObject({ok: true, rstAt: rst.t, expectedRstAt: summary.expectedRstAt});
	});

	it('starts over at a second ready (a new run)', () => {
		const view = labView(reduceLabEvents(run), {t: 0, type: 'lab', event: 'ready', sandbox: 'netns', port: 6699, firewall: 'nft'});
		expect(view).toMatchObject({ready: true, stopped: false, sandbox: 'netns', packets: [], summary: null, lastT: 0});
		expect(view.counters.probesSent).toBe(0);
	});

	it('does not change the state it was given', () => {
		const before = reduceLabEvents(eventsUntil(run, e => e.type === 'firewall'));
		const copy = structuredClone(before);
		reduceLabEvents(run.slice(dropAt + 1), before);
		expect(before).toEqual(copy);
	});
});


/*
 * The kernel's rule, checked against real runs across the range: intvl above, equal to
 * and below idle, one probe and several (test/fixtures/events/README.md).
 */
const modelRuns = [
	{name: 'model-gt1', params: {idle: 1, intvl: 3, probes: 1}},
	{name: 'model-gt2', params: {idle: 2, intvl: 4, probes: 2}},
	{name: 'model-eq', params: {idle: 2, intvl: 2, probes: 3}},
	{name: 'model-lt', params: {idle: 3, intvl: 1, probes: 4}},
] as const;

describe.each(modelRuns)('the keepalive clock of a real run: $name', ({name, params}) => {
	const events = loadEvents(name);
	const final = reduceLabEvents(events);
	const probes = final.packets.filter(p => p.kind === 'keepalive');
	const rst = final.packets.find(p => p.kind === 'rst')!;

	it('predicts every probe and the RST from where the server stood before it', () => {
		// Fold event by event; before each probe and the RST, the model's next action from the clock so far must be it.
		let state: RunState = initialLabView;
		let checked = 0;
		for (const event of events) {
			if (event.type === 'packet' && event.from === 'server' && (event.kind === 'keepalive' || event.kind === 'rst') && state.clock) {
				const next = nextAction(params, state.clock);
				const expected = expectedTimeline(params, state.clock);
				const late = next.action === 'reset' ? expected.rstLate : expected.probeLate[0]!;
				expect(next.action, `${name} at ${event.t}`).toBe(event.kind === 'rst' ? 'reset' : 'probe');
				expect(isOnTime(event.t, next.at, late), `${name}: ${event.kind} at ${event.t}, model ${next.at}`).toBe(true);
				checked++;
			}

			state = labView(state, event);
		}

		expect(checked).toBe(probes.length + 1);
	});

	it('predicts the whole end from the clock when the drop went on', () => {
		const clock = final.drop.clockAtDrop!;
		expect(clock).not.toBeNull();
		const model = expectedTimeline(params, clock);
		const after = probes.filter(p => p.t > final.drop.t!);
		expect(after.map(p => p.t)).toHaveLength(model.probes.length);
		after.forEach((probe, i) => expect(isOnTime(probe.t, model.probes[i]!, model.probeLate[i]!), `probe ${i}`).toBe(true));
		expect(isOnTime(rst.t, model.rstAt, model.rstLate)).toBe(true);
		expect(summarize(final, params).expectedRstAt).toBeCloseTo(model.rstAt, 3);
	});

	// model-gt1 drops after its first answer: it has one answered probe, no gap.
	it.runIf(name !== 'model-gt1')('spaces answered probes max(idle, intvl) apart', () => {
		const [before, last] = final.openProbeTimes;
		const gap = last! - before!;
		const expected = Math.max(params.idle, params.intvl);
		expect(gap).toBeGreaterThanOrEqual(expected - earlyBound);
		expect(gap).toBeLessThanOrEqual(expected + expectedTimeline(params, silentFrom(0)).rstLate);
	});

	it('marks as dropped exactly the client segments the rule counted', () => {
		const dropped = final.packets.filter(p => p.dropped);
		expect(dropped).toHaveLength(final.counters.acksDropped);
		expect(dropped.every(p => p.from === 'client' && p.kind === 'keepalive-ack' && p.t > final.drop.t!)).toBe(true);
		expect(final.counters.probesAnswered).toBe(final.packets.filter(p => p.kind === 'keepalive-ack' && p.t < final.drop.t!).length);
	});
});

describe('the textbook rule "idle after the last answer, then every intvl"', () => {
	it('is wrong once intvl > idle: the real RST is outside its bounds', () => {
		for (const {name, params} of modelRuns.filter(r => r.params.intvl > r.params.idle)) {
			const final = reduceLabEvents(loadEvents(name));
			const textbook = expectedTimeline(params, silentFrom(final.drop.clockAtDrop!.heardAt));
			expect(isOnTime(final.rst!.t, textbook.rstAt, textbook.rstLate), name).toBe(false);
		}
	});
});
