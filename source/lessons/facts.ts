import type {KernelReading, LabEvent, PacketEvent, Side} from '../lab/events.js';
import type {KeepaliveParams} from '../lab/params.js';
import {expectedTimeline} from '../lab/timeline.js';
import type {Facts} from './types.js';

/**
 * Every name a lesson may use as a {{placeholder}}. Most come from the lab's events
 * (factsFromEvents); `host.*` and `lab.preset` are passed in by the app.
 * lessons/FORMAT.md documents what each one means.
 */
export const factVocabulary = [
	// Passed in by the app.
	'host.tcp_keepalive_time',
	'host.tcp_keepalive_intvl',
	'host.tcp_keepalive_probes',
	'lab.preset',
	// The keepalive sysctls of the lab's own namespace, read back.
	'lab.tcp_keepalive_time',
	'lab.tcp_keepalive_intvl',
	'lab.tcp_keepalive_probes',
	// The lab run.
	'lab.t',
	'lab.port',
	'lab.sandbox',
	'lab.firewall',
	'client.port',
	// The server socket's keepalive settings, read back.
	'sockopt.idle',
	'sockopt.intvl',
	'sockopt.probes',
	'sockopt.nodeDefaults.intvl',
	'sockopt.nodeDefaults.probes',
	'params.idle',
	'params.intvl',
	'params.probes',
	'params.deadAfter',
	// Segments.
	...packetFields('lastAck'),
	...packetFields('probe'),
	'probe.expectedRelSeq',
	...packetFields('probeAck'),
	'probes.sent',
	'probes.answered',
	'probes.lastAt',
	'probes.lastGap',
	// The firewall drop.
	'drop.state',
	'drop.command',
	'drop.t',
	'drop.dropped',
	'drop.lastAckAt',
	'drop.probes',
	'drop.probeTimes',
	'drop.expectedProbes',
	'rst.t',
	'rst.from',
	'rst.relSeq',
	'rst.expected',
	'rst.late',
	// The kernel's view of each socket, latest reading.
	...kernelFields('server'),
	...kernelFields('client'),
	// How each socket ended.
	'server.error',
	'server.errorAt',
	'client.error',
	'client.errorAt',
] as const;

export type FactName = (typeof factVocabulary)[number];

const known = new Set<string>(factVocabulary);

export function isKnownFact(name: string): boolean {
	return known.has(name);
}

function packetFields<P extends string>(prefix: P) {
	return [
		`${prefix}.t`,
		`${prefix}.flags`,
		`${prefix}.seq`,
		`${prefix}.ack`,
		`${prefix}.relSeq`,
		`${prefix}.relAck`,
		`${prefix}.len`,
	] as const;
}

function kernelFields<S extends Side>(side: S) {
	return [
		`kernel.${side}.state`,
		`kernel.${side}.timer`,
		`kernel.${side}.dueIn`,
		`kernel.${side}.probesOut`,
		`kernel.${side}.probesLeft`,
	] as const;
}

/** `{{ name }}`: letters, digits, `_` and dots, spaces inside the braces allowed. */
const placeholderPattern = /\{\{\s*([\w.]+)\s*\}\}/g;

/** The placeholder names a text uses, in order of first use. */
export function placeholdersIn(text: string): string[] {
	const names = new Set<string>();
	for (const match of text.matchAll(placeholderPattern)) names.add(match[1]!);
	return [...names];
}

/** What renderText shows for a fact the lab has not reported yet. */
export const missingFact = '…';

/** Fills in {{placeholders}}; a fact not known yet shows as `missing`. */
export function renderText(text: string, facts: Facts, missing: string = missingFact): string {
	return text.replace(placeholderPattern, (_whole, name: string) => facts[name] ?? missing);
}

// --- folding events into facts -------------------------------------------------

/** What the facts are computed from; fold events into it one by one with foldFact. */
export type FactState = {
	readonly lastT: number | null;
	readonly ready: {port: number; sandbox: string; firewall: string} | null;
	readonly clientPort: number | null;
	readonly sockopt: {idle: number; intvl: number; probes: number; nodeDefaults: {intvl: number; probes: number}} | null;
	readonly sysctl: {tcp_keepalive_time: number; tcp_keepalive_intvl: number; tcp_keepalive_probes: number} | null;
	readonly summaryParams: KeepaliveParams | null;
	readonly lastAck: PacketEvent | null;
	readonly probe: PacketEvent | null;
	readonly probeAck: PacketEvent | null;
	readonly probesSent: number;
	readonly probesAnswered: number;
	readonly lastProbeAt: number | null;
	/** The latest two probe times while no drop was in force (answered probes, idle apart). */
	readonly openProbeTimes: readonly number[];
	/** t of the client's latest segment while no drop was in force. */
	readonly lastClientAt: number | null;
	readonly drop: {
		readonly on: boolean;
		readonly command: string;
		readonly t: number;
		readonly dropped: number;
		readonly lastAckAt: number | null;
		readonly probeTimes: readonly number[];
	} | null;
	readonly rst: PacketEvent | null;
	readonly kernel: Partial<Record<Side, KernelReading>>;
	readonly errors: Partial<Record<Side, {code: string; t: number}>>;
};

export const initialFactState: FactState = {
	lastT: null,
	ready: null,
	clientPort: null,
	sockopt: null,
	sysctl: null,
	summaryParams: null,
	lastAck: null,
	probe: null,
	probeAck: null,
	probesSent: 0,
	probesAnswered: 0,
	lastProbeAt: null,
	openProbeTimes: [],
	lastClientAt: null,
	drop: null,
	rst: null,
	kernel: {},
	errors: {},
};

/** Adds one event of the current run; the state given is never changed. */
export function foldFact(state: FactState, event: LabEvent): FactState {
	const s: FactState = {...state, lastT: event.t};
	switch (event.type) {
		case 'lab': {
			if (event.event === 'ready') {
				return {...s, ready: {port: event.port, sandbox: event.sandbox, firewall: event.firewall}};
			}

			return s;
		}

		case 'sysctl': {
			const {tcp_keepalive_time, tcp_keepalive_intvl, tcp_keepalive_probes} = event;
			return {...s, sysctl: {tcp_keepalive_time, tcp_keepalive_intvl, tcp_keepalive_probes}};
		}

		case 'sockopt': {
			if (event.side !== 'server') return s;
			const {idle, intvl, probes, nodeDefaults} = event;
			return {...s, sockopt: {idle, intvl, probes, nodeDefaults: {...nodeDefaults}}};
		}

		case 'socket': {
			if (event.event === 'connected') {
				const port = event.side === 'client' ? event.localPort : event.remotePort;
				return port === undefined || s.clientPort !== null ? s : {...s, clientPort: port};
			}

			if (event.event === 'error' && s.errors[event.side] === undefined) {
				return {...s, errors: {...s.errors, [event.side]: {code: event.code ?? 'unknown', t: event.t}}};
			}

			return s;
		}

		case 'kernel': {
			const {side, state: tcpState, timer, dueIn} = event;
			// A socket that has left the table reports 0 probes out; keep the last count it had.
			const probesOut = tcpState === 'gone' ? (s.kernel[side]?.probesOut ?? 0) : event.probesOut;
			return {...s, kernel: {...s.kernel, [side]: {side, state: tcpState, timer, dueIn, probesOut}}};
		}

		case 'firewall': {
			if (event.action === 'allow') {
				return s.drop === null ? s : {...s, drop: {...s.drop, on: false, dropped: Math.max(s.drop.dropped, event.dropped)}};
			}

			// A drop event while the drop is on only updates the rule's counter.
			if (s.drop?.on) return {...s, drop: {...s.drop, command: event.command, dropped: event.dropped}};
			return {
				...s,
				drop: {on: true, command: event.command, t: event.t, dropped: event.dropped, lastAckAt: s.lastClientAt, probeTimes: []},
			};
		}

		case 'packet': {
			return foldPacket(s, event);
		}

		case 'summary': {
			return {...s, summaryParams: {...event.params}};
		}
	}
}

function foldPacket(s: FactState, p: PacketEvent): FactState {
	const dropOn = s.drop?.on === true;
	let next: FactState = s;
	if (p.from === 'client') {
		if (!dropOn) next = {...next, lastClientAt: p.t};
		if (s.probe === null && p.flags.includes('ACK')) next = {...next, lastAck: p};
		if (p.kind === 'keepalive-ack') {
			if (!dropOn) next = {...next, probesAnswered: next.probesAnswered + 1};
			if (s.probe !== null && s.probeAck === null) next = {...next, probeAck: p};
		}
	}

	if (p.from === 'server' && p.kind === 'keepalive') {
		next = {...next, probesSent: next.probesSent + 1, lastProbeAt: p.t};
		if (!dropOn) next = {...next, openProbeTimes: [...next.openProbeTimes.slice(-1), p.t]};
		if (s.probe === null) next = {...next, probe: p};
		if (next.drop?.on) next = {...next, drop: {...next.drop, probeTimes: [...next.drop.probeTimes, p.t]}};
	}

	if (p.kind === 'rst' && s.rst === null) next = {...next, rst: p};
	return next;
}

// --- turning the state into text -----------------------------------------------

/** Seconds since the lab was ready, to the millisecond. */
const time = (t: number): string => t.toFixed(3);
/** The kernel's timer resolution is 1/100 s. */
const due = (seconds: number): string => seconds.toFixed(2);
const signed = (seconds: number): string => `${seconds < 0 ? '−' : '+'}${Math.abs(seconds).toFixed(3)}`;
const list = (times: readonly number[]): string => times.map(time).join(', ');

export function factsOf(s: FactState): Facts {
	const facts: Facts = {};
	const put = (name: FactName, value: string | number | null | undefined) => {
		if (value !== null && value !== undefined) facts[name] = String(value);
	};

	if (s.lastT !== null) put('lab.t', time(s.lastT));
	if (s.ready) {
		put('lab.port', s.ready.port);
		put('lab.sandbox', s.ready.sandbox);
		put('lab.firewall', s.ready.firewall);
	}

	put('client.port', s.clientPort);

	if (s.sysctl) {
		put('lab.tcp_keepalive_time', s.sysctl.tcp_keepalive_time);
		put('lab.tcp_keepalive_intvl', s.sysctl.tcp_keepalive_intvl);
		put('lab.tcp_keepalive_probes', s.sysctl.tcp_keepalive_probes);
	}

	if (s.sockopt) {
		put('sockopt.idle', s.sockopt.idle);
		put('sockopt.intvl', s.sockopt.intvl);
		put('sockopt.probes', s.sockopt.probes);
		put('sockopt.nodeDefaults.intvl', s.sockopt.nodeDefaults.intvl);
		put('sockopt.nodeDefaults.probes', s.sockopt.nodeDefaults.probes);
	}

	const params = paramsOf(s);
	if (params) {
		put('params.idle', params.idle);
		put('params.intvl', params.intvl);
		put('params.probes', params.probes);
		put('params.deadAfter', params.idle + params.probes * params.intvl);
	}

	putPacket(put, 'lastAck', s.lastAck);
	putPacket(put, 'probe', s.probe);
	putPacket(put, 'probeAck', s.probeAck);
	if (s.lastAck) put('probe.expectedRelSeq', (s.lastAck.relAck - 1) >>> 0);

	if (s.lastT !== null) {
		put('probes.sent', s.probesSent);
		put('probes.answered', s.probesAnswered);
	}

	if (s.lastProbeAt !== null) put('probes.lastAt', time(s.lastProbeAt));
	const [before, last] = s.openProbeTimes;
	if (before !== undefined && last !== undefined) put('probes.lastGap', time(last - before));

	if (s.drop) {
		put('drop.state', s.drop.on ? 'on' : 'off');
		put('drop.command', s.drop.command);
		put('drop.t', time(s.drop.t));
		put('drop.dropped', s.drop.dropped);
		put('drop.probes', s.drop.probeTimes.length);
		if (s.drop.probeTimes.length > 0) put('drop.probeTimes', list(s.drop.probeTimes));
		if (s.drop.lastAckAt !== null) {
			put('drop.lastAckAt', time(s.drop.lastAckAt));
			if (params) {
				const model = expectedTimeline(params, s.drop.lastAckAt);
				put('drop.expectedProbes', list(model.probes));
				put('rst.expected', time(model.rstAt));
				if (s.rst) put('rst.late', signed(s.rst.t - model.rstAt));
			}
		}
	} else if (s.lastT !== null) {
		put('drop.state', 'off');
	}

	if (s.rst) {
		put('rst.t', time(s.rst.t));
		put('rst.from', s.rst.from);
		put('rst.relSeq', s.rst.relSeq);
	}

	for (const side of ['server', 'client'] as const) {
		const reading = s.kernel[side];
		if (reading) {
			put(`kernel.${side}.state`, reading.state);
			put(`kernel.${side}.timer`, reading.timer);
			// A socket that has left the table has no timer to count down.
			if (reading.state !== 'gone' && reading.timer !== 'none') put(`kernel.${side}.dueIn`, due(reading.dueIn));
			put(`kernel.${side}.probesOut`, reading.probesOut);
			if (params) put(`kernel.${side}.probesLeft`, Math.max(0, params.probes - reading.probesOut));
		}

		const error = s.errors[side];
		if (error) {
			put(`${side}.error`, error.code);
			put(`${side}.errorAt`, time(error.t));
		}
	}

	return facts;
}

function paramsOf(s: FactState): KeepaliveParams | null {
	if (s.sockopt) return {idle: s.sockopt.idle, intvl: s.sockopt.intvl, probes: s.sockopt.probes};
	return s.summaryParams;
}

function putPacket(
	put: (name: FactName, value: string | number) => void,
	prefix: 'lastAck' | 'probe' | 'probeAck',
	p: PacketEvent | null,
): void {
	if (!p) return;
	put(`${prefix}.t`, time(p.t));
	put(`${prefix}.flags`, p.flags.join(' '));
	put(`${prefix}.seq`, p.seq);
	put(`${prefix}.ack`, p.ack);
	put(`${prefix}.relSeq`, p.relSeq);
	put(`${prefix}.relAck`, p.relAck);
	put(`${prefix}.len`, p.len);
}

/**
 * The facts the events of one lab run establish, in the order the lab emitted them.
 * Merge the app's own facts (host.*, lab.preset) in beside them.
 */
export function factsFromEvents(events: readonly LabEvent[]): Facts {
	return factsOf(events.reduce(foldFact, initialFactState));
}
