import type {
	FirewallTool,
	KernelEvent,
	LabErrorEvent,
	LabEvent,
	PacketEvent,
	SandboxKind,
	Side,
	SockoptEvent,
	SummaryEvent,
} from '../../lab/events.js';

/** How many packets the view keeps; older ones only stay in the counters. */
export const maxPackets = 200;
/** How many lab errors the view keeps (the newest). */
export const maxErrors = 5;

export type LabCounters = {
	/** Every captured segment, by direction. */
	serverToClient: number;
	clientToServer: number;
	/** Keep-Alive segments from the server. */
	probesSent: number;
	/** Keep-Alive ACKs from the client, as seen on the wire (the firewall may drop them after the capture). */
	probesAnswered: number;
	/** The firewall rules' own counters, added up over every drop rule of the run. */
	acksDropped: number;
	/** RST segments, either direction. */
	rsts: number;
};

export type SocketView = {
	state: 'unknown' | 'connected' | 'error' | 'closed';
	/** errno name of the socket's error, e.g. ETIMEDOUT. */
	code: string | null;
	/** When the socket errored or closed. */
	t: number | null;
	localPort: number | null;
	remotePort: number | null;
};

export type DropView = {
	on: boolean;
	/** The exact command line that last ran (adding or removing the rule). */
	command: string | null;
	t: number | null;
	/** Counts of rules already removed; the current rule's own count comes on top. */
	droppedBefore: number;
	/** The current (or last) rule's own counter. */
	droppedByRule: number;
};

export type KernelView = Omit<KernelEvent, 'type'>;

export type LabView = {
	ready: boolean;
	stopped: boolean;
	/** The newest `t` of any event. */
	lastT: number | null;
	sandbox: SandboxKind | null;
	firewall: FirewallTool | null;
	port: number | null;
	/** Keepalive values each side read back with getsockopt. */
	sockopt: Record<Side, SockoptEvent | null>;
	/** The newest captured segments, oldest first. */
	packets: PacketEvent[];
	counters: LabCounters;
	drop: DropView;
	sockets: Record<Side, SocketView>;
	/** The newest `kernel` event of each side. */
	kernel: Record<Side, KernelView | null>;
	summary: SummaryEvent | null;
	/** The newest lab errors, oldest first. */
	errors: LabErrorEvent[];
};

const noSocket: SocketView = {state: 'unknown', code: null, t: null, localPort: null, remotePort: null};

export const initialLabView: LabView = {
	ready: false,
	stopped: false,
	lastT: null,
	sandbox: null,
	firewall: null,
	port: null,
	sockopt: {server: null, client: null},
	packets: [],
	counters: {serverToClient: 0, clientToServer: 0, probesSent: 0, probesAnswered: 0, acksDropped: 0, rsts: 0},
	drop: {on: false, command: null, t: null, droppedBefore: 0, droppedByRule: 0},
	sockets: {server: noSocket, client: noSocket},
	kernel: {server: null, client: null},
	summary: null,
	errors: [],
};

/** The lab pane's state after one more event. Pure: the same events always give the same view. */
export function labView(state: LabView, event: LabEvent): LabView {
	const view = {...state, lastT: Math.max(state.lastT ?? event.t, event.t)};
	switch (event.type) {
		case 'lab': {
			if (event.event === 'ready') {
				// A second ready is a new run: start over.
				const base = state.ready ? initialLabView : view;
				return {...base, lastT: event.t, ready: true, sandbox: event.sandbox, firewall: event.firewall, port: event.port};
			}

			if (event.event === 'error') return {...view, errors: [...view.errors, event].slice(-maxErrors)};
			return {...view, stopped: true};
		}

		case 'sockopt':
			return {...view, sockopt: {...view.sockopt, [event.side]: event}};
		case 'sysctl':
			return view; // shown by the lessons, not the lab pane
		case 'packet':
			return {
				...view,
				packets: view.packets.length >= maxPackets ? [...view.packets.slice(1 - maxPackets), event] : [...view.packets, event],
				counters: countPacket(view.counters, event, view.drop.on),
			};
		case 'kernel': {
			const {type: _type, ...reading} = event;
			return {...view, kernel: {...view.kernel, [event.side]: reading}};
		}

		case 'firewall':
			return withDrop(view, event.action === 'drop', event.command, event.t, event.dropped);
		case 'socket': {
			const before = view.sockets[event.side];
			const socket: SocketView =
				event.event === 'connected'
					? {...before, state: 'connected', localPort: event.localPort ?? null, remotePort: event.remotePort ?? null}
					: event.event === 'error'
						? {...before, state: 'error', code: event.code ?? null, t: event.t}
						: // A close after an error keeps the error: that is what the learner needs to see.
							before.state === 'error'
							? before
							: {...before, state: 'closed', t: event.t};
			return {...view, sockets: {...view.sockets, [event.side]: socket}};
		}

		case 'summary':
			return {...view, summary: event};
	}
}

/** Answers count while the drop is off: with it on, the client's answers die at the server's input. */
function countPacket(counters: LabCounters, packet: PacketEvent, dropOn: boolean): LabCounters {
	const fromServer = packet.from === 'server';
	return {
		...counters,
		serverToClient: counters.serverToClient + (fromServer ? 1 : 0),
		clientToServer: counters.clientToServer + (fromServer ? 0 : 1),
		probesSent: counters.probesSent + (fromServer && packet.kind === 'keepalive' ? 1 : 0),
		probesAnswered: counters.probesAnswered + (!fromServer && !dropOn && packet.kind === 'keepalive-ack' ? 1 : 0),
		rsts: counters.rsts + (packet.kind === 'rst' ? 1 : 0),
	};
}

/**
 * Each drop rule has its own counter starting at 0: `drop` events repeat the current rule's
 * count, `allow` reports its last count as it goes. A new rule after an allow adds up.
 */
function withDrop(view: LabView, on: boolean, command: string, t: number, dropped: number): LabView {
	const newRule = on && !view.drop.on;
	const droppedBefore = newRule ? view.drop.droppedBefore + view.drop.droppedByRule : view.drop.droppedBefore;
	const droppedByRule = newRule ? dropped : Math.max(view.drop.droppedByRule, dropped);
	return {
		...view,
		drop: {on, command, t, droppedBefore, droppedByRule},
		counters: {...view.counters, acksDropped: droppedBefore + droppedByRule},
	};
}

/** Applies a whole recorded run, e.g. a fixture or `lab --json` output. */
export function reduceLabEvents(events: readonly LabEvent[], from: LabView = initialLabView): LabView {
	return events.reduce(labView, from);
}

export {countdowns} from './countdowns.js';
export type {Countdowns, TimerCountdown, ProbesCountdown, CountdownStatus} from './countdowns.js';
