import type {
	AppEvent,
	ConntrackEvent,
	InvalidEvent,
	FirewallTool,
	KernelEvent,
	LabErrorEvent,
	LabEvent,
	NatInfo,
	PacketEvent,
	PeerEvent,
	RouterSide,
	SandboxKind,
	SegmentKind,
	Side,
	SockoptEvent,
	SummaryEvent,
	SysctlEvent,
} from '../shared/events.js';
import type {KeepaliveClock, TimerParams} from './timeline.js';

/*
 * One lab run, folded from its event stream once. The lab pane, the lessons' facts,
 * the step conditions and the headless summary are all projections of this state,
 * so that they cannot disagree about what happened.
 *
 * The kernel's rules it holds:
 * - only segments the server *receives* count as activity; while the drop rule is
 *   in force the client's segments die at the server's input, so they are not heard;
 * - any received segment resets the count of unanswered probes;
 * - each probe re-arms the keepalive timer for intvl (the clock keeps when);
 * - while the server has data the client has not acknowledged (as the server hears it),
 *   keepalive sends nothing: the retransmission timer decides.
 */

/** How many packets the state keeps; older ones only stay in the counters. */
export const maxPackets = 200;
/** How many lab errors the state keeps (the newest). */
export const maxErrors = 5;

/** A captured segment, numbered in capture order. */
export type RunPacket = PacketEvent & {
	n: number;
	/** The firewall rule's own counter went up for this client segment: it died at the server's input. */
	dropped?: true;
};

export type LabCounters = {
	/** Every captured segment, by direction. */
	serverToClient: number;
	clientToServer: number;
	/** Keep-Alive segments from the server. */
	probesSent: number;
	/** Keep-Alive ACKs from the client that reached the server (sent while no drop was on). */
	probesAnswered: number;
	/** The firewall rules' own counters, added up over every drop rule of the run. */
	acksDropped: number;
	/** RST segments, either direction. */
	rsts: number;
};

export type SocketView = {
	state: 'unknown' | 'connected' | 'error' | 'closed';
	/** errno name of the socket's first error, e.g. ETIMEDOUT. */
	code: string | null;
	/** When the socket errored or closed. */
	t: number | null;
	localPort: number | null;
	remotePort: number | null;
};

export type DropState = {
	on: boolean;
	/** The exact command line that last ran (adding or removing the rule). */
	command: string | null;
	/** When the current (or last) rule went on. */
	t: number | null;
	/** Counts of rules already removed; the current rule's own count comes on top. */
	droppedBefore: number;
	/** The current (or last) rule's own counter. */
	droppedByRule: number;
	/** The server's keepalive clock when the current (or last) rule went on: what the model predicts from. */
	clockAtDrop: KeepaliveClock | null;
	/** When the server's probes left since the current rule went on. */
	probeTimes: number[];
	/** Client segments captured under the current rule that its counter has not counted yet (their `n`). */
	uncounted: number[];
};

export type KernelView = Omit<KernelEvent, 'type'>;

/** The server's data on the wire and what of it the server has heard acknowledged. */
export type InFlightState = {
	/** Server sequence space sent so far (relative: the SYN counts one, as its data and FIN do). */
	sent: number;
	/** The highest relative ack the server heard from the client. */
	acked: number;
	/** When the server first sent data. */
	firstDataAt: number | null;
	/** When the server last heard all its data acknowledged (after sending some). */
	allAckedAt: number | null;
	/** Retransmissions on the wire, from the server. */
	retransmissions: number;
	/** Their times. */
	retransmissionTimes: number[];
	/**
	 * The first retransmission by the retransmission timer (RTO), where the kernel's count
	 * first went up: the kernel's clock for giving up starts there (tp->retrans_stamp), not at
	 * a tail loss probe before it, which looks the same on the wire but is not counted.
	 */
	firstRtoAt: number | null;
	/** Keepalive probes the server sent while some of its data was unacknowledged (the kernel sends none). */
	probesWhileUnacked: number;
};

/** What one side's application did: the lines it wrote and read, its failed writes. */
export type AppView = {
	sent: AppEvent[];
	received: AppEvent[];
	errors: string[];
};

/** The client's process: stopped (SIGSTOP) or running. */
export type FreezeState = {
	frozen: boolean;
	/** When it was last frozen and last resumed. */
	frozenAt: number | null;
	resumedAt: number | null;
	/** Keep-Alive ACKs the server heard while the client's process was stopped: its kernel answered them. */
	answeredWhileFrozen: number;
};

/** The NAT scenario's router: its conntrack entry for the connection, its INVALID rule, what crossed it. */
export type RouterState = {
	/** The router's setup as its own sysctls read back (the ready event). */
	nat: NatInfo | null;
	/** The newest reading of the entry. */
	conntrack: ConntrackEvent | null;
	/** When a reading first found the entry gone after one had found it there: the router forgot the connection. */
	forgottenAt: number | null;
	/** The INVALID drop rule, with its newest count. */
	invalid: InvalidEvent | null;
	/** Segments seen at the router, by where (`router-in` / `router-out`), then by `kind` and `kind/from`. */
	counts: Record<RouterSide, Readonly<Record<string, number>>>;
};

export type RunState = {
	ready: boolean;
	stopped: boolean;
	/** The newest `t` of any event. */
	lastT: number | null;
	sandbox: SandboxKind | null;
	firewall: FirewallTool | 'none' | null;
	/** Why the lab cannot drop, when no firewall tool works (firewall 'none'). */
	firewallProblem: {message: string; fix: string} | null;
	port: number | null;
	/** Keepalive values each side read back with getsockopt. */
	sockopt: Record<Side, SockoptEvent | null>;
	/** The lab namespace's own keepalive sysctls, read back. */
	sysctl: SysctlEvent | null;
	/** The newest captured segments, oldest first (and, with a NAT router, the client's data as it entered it). */
	packets: RunPacket[];
	/** How many segments were captured in all. */
	captured: number;
	counters: LabCounters;
	/** Segments seen, by `kind` and by `kind/from`. */
	packetCounts: Readonly<Record<string, number>>;
	/** The same, counted since the current drop went on; empty while no drop is in force. */
	packetsAfterDrop: Readonly<Record<string, number>>;
	drop: DropState;
	/** The server's keepalive clock, from what it sent and what reached it; null before it heard anything. */
	clock: KeepaliveClock | null;
	/** The client's last segment the server received. */
	heard: PacketEvent | null;
	/** The client's last segment with ACK before the first probe. */
	lastAck: PacketEvent | null;
	/** The server's first probe, and the client's first answer after it. */
	probe: PacketEvent | null;
	probeAck: PacketEvent | null;
	/** The latest two probe times while no drop was in force (answered probes). */
	openProbeTimes: number[];
	/** The first RST, either side. */
	rst: PacketEvent | null;
	sockets: Record<Side, SocketView>;
	/** errno names of socket errors, by side, in order. */
	socketErrors: Record<Side, string[]>;
	/** The newest kernel reading of each side. */
	kernel: Record<Side, KernelView | null>;
	/** The highest unanswered-probe count the kernel has reported, by side. */
	probesOutMax: Record<Side, number>;
	/** The highest icsk_retransmits the kernel has reported, by side. */
	retransmitsMax: Record<Side, number>;
	inFlight: InFlightState;
	app: Record<Side, AppView>;
	client: FreezeState;
	router: RouterState;
	summary: SummaryEvent | null;
	/** The newest lab errors, oldest first. */
	errors: LabErrorEvent[];
};

const noSocket: SocketView = {state: 'unknown', code: null, t: null, localPort: null, remotePort: null};

const noDrop: DropState = {
	on: false,
	command: null,
	t: null,
	droppedBefore: 0,
	droppedByRule: 0,
	clockAtDrop: null,
	probeTimes: [],
	uncounted: [],
};

const noApp: AppView = {sent: [], received: [], errors: []};

export const initialRun: RunState = {
	ready: false,
	stopped: false,
	lastT: null,
	sandbox: null,
	firewall: null,
	firewallProblem: null,
	port: null,
	sockopt: {server: null, client: null},
	sysctl: null,
	packets: [],
	captured: 0,
	counters: {serverToClient: 0, clientToServer: 0, probesSent: 0, probesAnswered: 0, acksDropped: 0, rsts: 0},
	packetCounts: {},
	packetsAfterDrop: {},
	drop: noDrop,
	clock: null,
	heard: null,
	lastAck: null,
	probe: null,
	probeAck: null,
	openProbeTimes: [],
	rst: null,
	sockets: {server: noSocket, client: noSocket},
	socketErrors: {server: [], client: []},
	kernel: {server: null, client: null},
	probesOutMax: {server: 0, client: 0},
	retransmitsMax: {server: 0, client: 0},
	inFlight: {sent: 0, acked: 0, firstDataAt: null, allAckedAt: null, retransmissions: 0, retransmissionTimes: [], firstRtoAt: null, probesWhileUnacked: 0},
	app: {server: noApp, client: noApp},
	client: {frozen: false, frozenAt: null, resumedAt: null, answeredWhileFrozen: 0},
	router: {nat: null, conntrack: null, forgottenAt: null, invalid: null, counts: {'router-in': {}, 'router-out': {}}},
	summary: null,
	errors: [],
};

/** The run after one more event. Pure: the same events always give the same state. */
export function foldRun(state: RunState, event: LabEvent): RunState {
	const s: RunState = {...state, lastT: Math.max(state.lastT ?? event.t, event.t)};
	switch (event.type) {
		case 'lab': {
			if (event.event === 'ready') {
				// A second ready is a new run: start over.
				const base = state.ready ? initialRun : s;
				const {sandbox, firewall, port} = event;
				const router = {...base.router, nat: event.nat ?? null};
				return {...base, lastT: event.t, ready: true, sandbox, firewall, firewallProblem: event.firewallProblem ?? null, port, router};
			}

			if (event.event === 'error') return {...s, errors: [...s.errors, event].slice(-maxErrors)};
			return {...s, stopped: true};
		}

		case 'sockopt':
			return {...s, sockopt: {...s.sockopt, [event.side]: event}};
		case 'sysctl':
			return {...s, sysctl: event};
		case 'packet':
			return event.at ? foldRouterPacket(s, event, event.at) : foldPacket(s, event);
		case 'conntrack': {
			const forgot = !event.present && s.router.conntrack?.present === true && s.router.forgottenAt === null;
			return {...s, router: {...s.router, conntrack: event, ...(forgot ? {forgottenAt: event.t} : {})}};
		}

		case 'invalid':
			return {...s, router: {...s.router, invalid: event}};
		case 'kernel': {
			const {type: _type, ...reading} = event;
			// A socket that has left the table reports 0 probes out; keep the count it had.
			const before = s.kernel[event.side];
			const kept = reading.state === 'gone' && before ? {...reading, probesOut: before.probesOut} : reading;
			const max = Math.max(s.probesOutMax[event.side], kept.probesOut);
			const retransmits = Math.max(s.retransmitsMax[event.side], reading.retransmits ?? 0);
			const f = s.inFlight;
			const firstRto = event.side === 'server' && retransmits > 0 && f.firstRtoAt === null;
			return {
				...s,
				inFlight: firstRto ? {...f, firstRtoAt: f.retransmissionTimes.at(-1) ?? event.t} : f,
				kernel: {...s.kernel, [event.side]: kept},
				probesOutMax: {...s.probesOutMax, [event.side]: max},
				retransmitsMax: {...s.retransmitsMax, [event.side]: retransmits},
			};
		}

		case 'firewall':
			return foldFirewall(s, event.action === 'drop', event.command, event.t, event.dropped);
		case 'socket':
			return foldSocket(s, event);
		case 'app':
			return foldApp(s, event);
		case 'peer':
			return foldPeer(s, event);
		case 'summary':
			return {...s, summary: event};
	}
}

/** Applies a whole recorded run, e.g. a fixture or `lab --json` output. */
export function foldRunEvents(events: readonly LabEvent[], from: RunState = initialRun): RunState {
	return events.reduce(foldRun, from);
}

function packetKey(kind: SegmentKind, from?: Side): string {
	return from === undefined ? kind : `${kind}/${from}`;
}

/** How many segments of this kind (and side) a count holds. */
export function countOf(counts: Readonly<Record<string, number>>, kind: SegmentKind, from?: Side): number {
	return counts[packetKey(kind, from)] ?? 0;
}

/** The line an application wrote or read, without its line end. */
export function lineOf(event: AppEvent): string {
	return (event.text ?? '').replace(/\r?\n$/, '');
}

/** The client's data segments (first copies and retransmissions alike) seen at one side of the NAT router. */
export function clientDataAt(s: RunState, at: RouterSide): number {
	const counts = s.router.counts[at];
	return countOf(counts, 'data', 'client') + countOf(counts, 'retransmission', 'client');
}

function bump(counts: Readonly<Record<string, number>>, kind: SegmentKind, from: Side): Record<string, number> {
	const byKind = packetKey(kind);
	const bySide = packetKey(kind, from);
	return {...counts, [byKind]: (counts[byKind] ?? 0) + 1, [bySide]: (counts[bySide] ?? 0) + 1};
}

/**
 * The router's copies are its own view: what the server sent and heard stays the server's
 * capture alone. The client's data entering the router is listed too, so that a line that
 * dies there shows in the list (numbered -1: no drop rule of the server's counts it).
 */
function foldRouterPacket(s: RunState, p: PacketEvent, at: RouterSide): RunState {
	const router = {...s.router, counts: {...s.router.counts, [at]: bump(s.router.counts[at], p.kind, p.from)}};
	const listed = at === 'router-in' && p.from === 'client' && (p.kind === 'data' || p.kind === 'retransmission');
	return {...s, router, ...(listed ? {packets: keepNewest(s.packets, {...p, n: -1})} : {})};
}

function keepNewest(packets: RunPacket[], row: RunPacket): RunPacket[] {
	return packets.length >= maxPackets ? [...packets.slice(1 - maxPackets), row] : [...packets, row];
}

function foldPacket(s: RunState, p: PacketEvent): RunState {
	const row: RunPacket = {...p, n: s.captured};
	const fromServer = p.from === 'server';
	const dropOn = s.drop.on;
	const heard = !fromServer && !dropOn;
	const isProbe = fromServer && p.kind === 'keepalive';
	const c = s.counters;
	let next: RunState = {
		...s,
		packets: keepNewest(s.packets, row),
		captured: s.captured + 1,
		counters: {
			...c,
			serverToClient: c.serverToClient + (fromServer ? 1 : 0),
			clientToServer: c.clientToServer + (fromServer ? 0 : 1),
			probesSent: c.probesSent + (isProbe ? 1 : 0),
			probesAnswered: c.probesAnswered + (heard && p.kind === 'keepalive-ack' ? 1 : 0),
			rsts: c.rsts + (p.kind === 'rst' ? 1 : 0),
		},
		packetCounts: bump(s.packetCounts, p.kind, p.from),
		packetsAfterDrop: dropOn ? bump(s.packetsAfterDrop, p.kind, p.from) : s.packetsAfterDrop,
	};

	if (heard) {
		next = {...next, heard: p, clock: {heardAt: p.t, probeAt: s.clock?.probeAt ?? null, unanswered: 0}};
		if (s.probe === null && p.flags.includes('ACK')) next = {...next, lastAck: p};
	}

	if (!fromServer && dropOn) next = {...next, drop: {...next.drop, uncounted: [...next.drop.uncounted, row.n]}};
	if (!fromServer && p.kind === 'keepalive-ack' && s.probe !== null && s.probeAck === null) next = {...next, probeAck: p};

	if (isProbe) {
		const clock = s.clock && {...s.clock, probeAt: p.t, unanswered: s.clock.unanswered + 1};
		next = {...next, clock, probe: s.probe ?? p};
		if (dropOn) next = {...next, drop: {...next.drop, probeTimes: [...next.drop.probeTimes, p.t]}};
		else next = {...next, openProbeTimes: [...s.openProbeTimes.slice(-1), p.t]};
	}

	if (p.kind === 'rst' && s.rst === null) next = {...next, rst: p};
	return {...next, inFlight: foldInFlight(s, p, heard), client: foldAnswerWhileFrozen(s, p, heard)};
}

/** The server's data in flight: what it sent, what it heard acknowledged, and what it did meanwhile. */
function foldInFlight(s: RunState, p: PacketEvent, heard: boolean): InFlightState {
	const f = s.inFlight;
	const unacked = f.sent > f.acked;
	if (p.from === 'server') {
		const carries = p.len > 0 || p.flags.includes('SYN') || p.flags.includes('FIN');
		const sent = carries ? Math.max(f.sent, p.relSeq + p.len + (p.flags.includes('SYN') || p.flags.includes('FIN') ? 1 : 0)) : f.sent;
		const isData = p.len > 0 && p.kind !== 'keepalive';
		return {
			...f,
			sent,
			firstDataAt: f.firstDataAt ?? (isData ? p.t : null),
			retransmissions: f.retransmissions + (p.kind === 'retransmission' ? 1 : 0),
			retransmissionTimes: p.kind === 'retransmission' ? [...f.retransmissionTimes, p.t] : f.retransmissionTimes,
			probesWhileUnacked: f.probesWhileUnacked + (p.kind === 'keepalive' && unacked && f.firstDataAt !== null ? 1 : 0),
		};
	}

	if (!heard || !p.flags.includes('ACK')) return f;
	const acked = Math.max(f.acked, p.relAck);
	const allAcked = unacked && acked >= f.sent && f.firstDataAt !== null;
	return {...f, acked, allAckedAt: allAcked ? p.t : f.allAckedAt};
}

/** A stopped client's kernel still answers: what the server heard from it while it was frozen. */
function foldAnswerWhileFrozen(s: RunState, p: PacketEvent, heard: boolean): FreezeState {
	const c = s.client;
	if (!c.frozen || !heard || p.kind !== 'keepalive-ack') return c;
	return {...c, answeredWhileFrozen: c.answeredWhileFrozen + 1};
}

function foldApp(s: RunState, event: AppEvent): RunState {
	const before = s.app[event.side];
	const app: AppView =
		event.event === 'sent'
			? {...before, sent: [...before.sent, event]}
			: event.event === 'received'
				? {...before, received: [...before.received, event]}
				: {...before, errors: [...before.errors, event.code ?? 'unknown']};
	return {...s, app: {...s.app, [event.side]: app}};
}

function foldPeer(s: RunState, event: PeerEvent): RunState {
	const frozen = event.event === 'frozen';
	return {...s, client: {...s.client, frozen, ...(frozen ? {frozenAt: event.t} : {resumedAt: event.t})}};
}

/**
 * Each drop rule has its own counter starting at 0: `drop` events repeat the current
 * rule's count, `allow` reports its last count as it goes. Each count the rule adds
 * marks the oldest client segment captured under it that no count has covered yet.
 */
function foldFirewall(s: RunState, on: boolean, command: string, t: number, dropped: number): RunState {
	const newRule = on && !s.drop.on;
	const before = s.drop;
	const droppedBefore = newRule ? before.droppedBefore + before.droppedByRule : before.droppedBefore;
	const previous = newRule ? 0 : before.droppedByRule;
	const droppedByRule = Math.max(previous, dropped);
	const uncounted = newRule ? [] : before.uncounted;
	const counted = new Set(uncounted.slice(0, droppedByRule - previous));
	const drop: DropState = {
		on,
		command,
		t: newRule ? t : before.t,
		droppedBefore,
		droppedByRule,
		clockAtDrop: newRule ? s.clock : before.clockAtDrop,
		probeTimes: newRule ? [] : before.probeTimes,
		// Once the rule is gone, what it did not count was not dropped.
		uncounted: on ? uncounted.slice(counted.size) : [],
	};
	const packets = counted.size === 0 ? s.packets : s.packets.map(p => (counted.has(p.n) ? {...p, dropped: true as const} : p));
	return {
		...s,
		packets,
		drop,
		counters: {...s.counters, acksDropped: droppedBefore + droppedByRule},
		packetsAfterDrop: newRule || !on ? {} : s.packetsAfterDrop,
	};
}

function foldSocket(s: RunState, event: Extract<LabEvent, {type: 'socket'}>): RunState {
	const before = s.sockets[event.side];
	const socket: SocketView =
		event.event === 'connected'
			? {...before, state: 'connected', localPort: event.localPort ?? null, remotePort: event.remotePort ?? null}
			: event.event === 'error'
				? before.state === 'error'
					? before
					: {...before, state: 'error', code: event.code ?? null, t: event.t}
				: // A close after an error keeps the error: that is what the learner needs to see.
					before.state === 'error'
					? before
					: {...before, state: 'closed', t: event.t};
	const errors = event.event === 'error' ? {...s.socketErrors, [event.side]: [...s.socketErrors[event.side], event.code ?? 'unknown']} : s.socketErrors;
	return {...s, sockets: {...s.sockets, [event.side]: socket}, socketErrors: errors};
}

/** The client's port, from either side's connected event. */
export function clientPortOf(s: RunState): number | null {
	return s.sockets.client.localPort ?? s.sockets.server.remotePort;
}

/** The keepalive values in force: those the server's socket read back, else the summary's. */
export function paramsOf(s: RunState): TimerParams | null {
	const read = s.sockopt.server;
	if (read) return {idle: read.idle, intvl: read.intvl, probes: read.probes, ...(read.userTimeout ? {userTimeout: read.userTimeout} : {})};
	const summary = s.summary;
	return summary ? {...summary.params, ...(summary.userTimeout ? {userTimeout: summary.userTimeout} : {})} : null;
}

/** The server's first RST. */
export function serverRstOf(s: RunState): PacketEvent | null {
	if (s.rst?.from === 'server') return s.rst;
	return s.packets.find(p => p.kind === 'rst' && p.from === 'server') ?? null;
}
