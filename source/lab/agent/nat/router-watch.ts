/**
 * What the router does with the lab's connection, watched from the agent: a capture on
 * each of the router's two interfaces (so a segment that enters and never leaves shows
 * as such), the router's conntrack entry for the connection, and the INVALID rule's own
 * counter. Each interface is its own vantage point with its own Wireshark-style analysis:
 * one conversation over all three would take every copy for a retransmission.
 */
import type {ConntrackEvent, FirewallTool, LabEvent, RouterSide, Side} from '../../shared/events.js';
import {nowMs} from '../../shared/peer-message.js';
import {type Capture, startCapture} from '../capture.js';
import {classify, type Conversation, initialConversation} from '../decode/classify.js';
import {decodeFrame} from '../decode/frame.js';
import {natAddresses} from './addresses.js';
import {openConntrack} from './conntrack.js';
import type {ConntrackEntry} from './conntrack-codec.js';
import {invalidCounterCommand, invalidDropped, invalidRuleLine} from './router-firewall.js';
import type {Topology} from './topology.js';

type WithoutT<E> = E extends LabEvent ? Omit<E, 't'> : never;
export type Emit = (ms: number, event: WithoutT<LabEvent>) => void;

/** Between reads the entry's timeout only counts down, a second at a time; 250 ms shows each step on time. */
const conntrackPollMs = 250;
/** The capture sees a frame as it enters the router, before conntrack and the rules have acted on it. */
const afterFrameMs = 20;

/**
 * Which way a frame crossed the router: on the client-side interface a client segment is
 * entering and a server segment leaving; on the server-side interface the other way round.
 */
export function routerSide(iface: 'client-side' | 'server-side', from: Side): RouterSide {
	return (iface === 'client-side') === (from === 'client') ? 'router-in' : 'router-out';
}

/** The router's entry for the connection from the client's port to the server's (any client port while it is 0). */
export function entryOf(entries: ConntrackEntry[], serverPort: number, clientPort: number): ConntrackEntry | undefined {
	return entries.find(
		e => e.original.protocol === 6 && e.original.src === natAddresses.client && e.original.dstPort === serverPort && (clientPort === 0 || e.original.srcPort === clientPort),
	);
}

/** A conntrack reading as the event reports it. */
export function conntrackReading(entry: ConntrackEntry | undefined): Omit<ConntrackEvent, 't' | 'type'> {
	if (!entry) return {present: false};
	return {present: true, ...(entry.state === undefined ? {} : {state: entry.state}), timeout: entry.timeout, natPort: entry.reply.dstPort};
}

export type RouterWatch = {stop(): Promise<void>};

/**
 * Starts watching; `clientPort` gives the client's port once it has connected (0 before);
 * `crossed` is called after each of the connection's segments the router saw (the client's
 * retransmissions, which never reach the server's capture, change its kernel's state).
 */
export async function watchRouter(
	topology: Topology,
	tool: FirewallTool,
	serverPort: number,
	clientPort: () => number,
	emit: Emit,
	crossed: () => void,
): Promise<RouterWatch> {
	const conntrack = openConntrack(topology.routerPid);
	let last = '';
	let stopped = false;
	const readConntrack = () => {
		if (stopped) return;
		try {
			const reading = conntrackReading(entryOf(conntrack.dump(), serverPort, clientPort()));
			const key = JSON.stringify(reading);
			if (key !== last) {
				last = key;
				emit(nowMs(), {type: 'conntrack', ...reading});
			}
		} catch (error) {
			emit(nowMs(), {type: 'lab', event: 'error', message: `conntrack: ${(error as Error).message}`});
		}
	};

	const invalidCommand = invalidRuleLine(tool);
	let dropped = -1;
	let counterTimer: NodeJS.Timeout | undefined;
	const readCounter = async () => {
		counterTimer = undefined;
		if (stopped) return;
		try {
			const now = await invalidDropped(tool, topology.routerPid);
			if (now !== dropped && !stopped) {
				dropped = now;
				emit(nowMs(), {type: 'invalid', command: invalidCommand, dropped});
			}
		} catch (error) {
			emit(nowMs(), {type: 'lab', event: 'error', message: `reading the INVALID rule's counter (${invalidCounterCommand(tool).line}): ${(error as Error).message}`});
		}
	};

	const conversations: Record<'client-side' | 'server-side', Conversation> = {'client-side': initialConversation(serverPort), 'server-side': initialConversation(serverPort)};
	const onFrame = (iface: 'client-side' | 'server-side') => (frame: Uint8Array, tsMicros: number) => {
		const segment = decodeFrame(frame);
		if (!segment || (segment.srcPort !== serverPort && segment.dstPort !== serverPort)) return;
		const result = classify(conversations[iface], segment);
		conversations[iface] = result.conv;
		const at = routerSide(iface, result.packet.from);
		emit(tsMicros / 1000, {...result.packet, at});
		crossed();
		if (at === 'router-in') {
			setTimeout(readConntrack, afterFrameMs);
			// Only an entering client segment can be dropped as INVALID (a server's reply has an entry or never came).
			if (result.packet.from === 'client') counterTimer ??= setTimeout(() => void readCounter(), afterFrameMs);
		}
	};

	// Both sides of a veth: a frame the router forwards out of an interface passes it outgoing only.
	const options = (ifindex: number) => ({netnsPid: topology.routerPid, ifindex, ignoreOutgoing: false});
	let captures: Capture[] = [];
	try {
		captures = await Promise.all([
			startCapture(onFrame('client-side'), options(topology.ifindex.routerClientSide)),
			startCapture(onFrame('server-side'), options(topology.ifindex.routerServerSide)),
		]);
	} catch (error) {
		conntrack.close();
		throw error;
	}

	await readCounter();
	readConntrack();
	const poller = setInterval(readConntrack, conntrackPollMs);
	return {
		async stop() {
			stopped = true;
			clearInterval(poller);
			clearTimeout(counterTimer);
			await Promise.all(captures.map(capture => capture.stop()));
			conntrack.close();
		},
	};
}
