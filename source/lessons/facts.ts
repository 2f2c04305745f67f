import type {LabEvent, PacketEvent, Side} from '../lab/shared/events.js';
import {clientDataAt, clientPortOf, countOf, foldRunEvents, lineOf, paramsOf, type RunState} from '../lab/model/run-state.js';
import {kindLabels} from '../lab/model/kind-labels.js';
import {giveUpAfter, retransmissionGiveUp} from '../lab/model/retransmission.js';
import {expectedTimeline, nextFromReading, timerSlack} from '../lab/model/timeline.js';
import type {Facts} from './types.js';

/** The facts the app passes in (readHostFacts, the preset): known in every lesson, with a lab or not. */
const appFacts = ['host.tcp_keepalive_time', 'host.tcp_keepalive_intvl', 'host.tcp_keepalive_probes', 'host.node', 'lab.preset'] as const;

/**
 * Every name a lesson may use as a {{placeholder}}: the app's, and those of the lab's
 * events (factsFromEvents). lessons/FORMAT.md documents what each one means.
 */
export const factVocabulary = [
	...appFacts,
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
	'sockopt.nodeDefaults.idleAfter500ms',
	'sockopt.nodeDefaults.idleAfter1500ms',
	'params.idle',
	'params.intvl',
	'params.probes',
	'params.deadAfter',
	'params.answeredGap',
	// Segments.
	...packetFields('lastAck'),
	...packetFields('probe'),
	'probe.expectedRelSeq',
	...packetFields('probeAck'),
	...packetFields('heard'),
	'heard.kind',
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
	'drop.lastProbeAt',
	'drop.probes',
	'drop.probeTimes',
	'drop.expectedProbes',
	'rst.t',
	'rst.from',
	'rst.relSeq',
	'rst.expected',
	'rst.late',
	'rst.sinceHeard',
	// The kernel's view of each socket, latest reading.
	...kernelFields('server'),
	...kernelFields('client'),
	// How each socket ended.
	'server.error',
	'server.errorAt',
	'client.error',
	'client.errorAt',
	// Each side's application: the newest line it wrote and read, a failed write.
	...appFields('server'),
	...appFields('client'),
	// Timers: how late the kernel sent a probe against when it was due.
	'probe.due',
	'probe.late',
	'probe.slack',
	'drop.probeLate',
	'drop.probeSlack',
	// Data in flight: retransmissions instead of probes, and when the kernel gives up.
	'lab.tcp_retries2',
	'params.userTimeout',
	'sockopt.keepalive',
	'retrans.count',
	'retrans.times',
	'retrans.gaps',
	'retrans.firstRtoAt',
	'retrans.probesWhileUnacked',
	'retrans.giveUpAfter',
	'retrans.expectedError',
	'retrans.errorLate',
	// The frozen client.
	'peer.frozenAt',
	'peer.resumedAt',
	'peer.answeredWhileFrozen',
	// The NAT router.
	'router.timeout',
	'router.loose',
	'router.in.clientData',
	'router.out.clientData',
	'router.in.probes',
	'router.out.probes',
	'conntrack.entry',
	'conntrack.state',
	'conntrack.timeout',
	'conntrack.natPort',
	'conntrack.forgottenAt',
	'invalid.dropped',
	'invalid.command',
] as const;

export type FactName = (typeof factVocabulary)[number];

const known = new Set<string>(factVocabulary);
const fromApp = new Set<string>(appFacts);

export function isKnownFact(name: string): boolean {
	return known.has(name);
}

/** Whether the app, not the lab, gives this fact: a lesson without a lab may show it. */
export function isAppFact(name: string): boolean {
	return fromApp.has(name);
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
		`kernel.${side}.sinceRecv`,
		`kernel.${side}.nextIn`,
		`kernel.${side}.retransmits`,
		`kernel.${side}.rto`,
		`kernel.${side}.backoff`,
		`kernel.${side}.unacked`,
	] as const;
}

function appFields<S extends Side>(side: S) {
	return [`${side}.wrote`, `${side}.wroteAt`, `${side}.read`, `${side}.readAt`, `${side}.writeError`] as const;
}

/** What a step shows for a fact the lab has not reported yet. */
export const missingFact = '…';

// --- turning the state into text -----------------------------------------------

/** Seconds since the lab was ready, to the millisecond. */
const time = (t: number): string => t.toFixed(3);
/** The kernel's timer resolution is 1/100 s. */
const due = (seconds: number): string => seconds.toFixed(2);
const signed = (seconds: number): string => `${seconds < 0 ? '−' : '+'}${Math.abs(seconds).toFixed(3)}`;
const list = (times: readonly number[]): string => times.map(time).join(', ');

export function factsOf(s: RunState): Facts {
	const facts: Facts = {};
	const put = (name: FactName, value: string | number | null | undefined) => {
		if (value !== null && value !== undefined) facts[name] = String(value);
	};

	if (s.lastT !== null) put('lab.t', time(s.lastT));
	if (s.ready) {
		put('lab.port', s.port);
		put('lab.sandbox', s.sandbox);
		put('lab.firewall', s.firewall);
	}

	put('client.port', clientPortOf(s));

	if (s.sysctl) {
		put('lab.tcp_keepalive_time', s.sysctl.tcp_keepalive_time);
		put('lab.tcp_keepalive_intvl', s.sysctl.tcp_keepalive_intvl);
		put('lab.tcp_keepalive_probes', s.sysctl.tcp_keepalive_probes);
	}

	const sockopt = s.sockopt.server;
	if (sockopt) {
		put('sockopt.idle', sockopt.idle);
		put('sockopt.intvl', sockopt.intvl);
		put('sockopt.probes', sockopt.probes);
		put('sockopt.nodeDefaults.intvl', sockopt.nodeDefaults.intvl);
		put('sockopt.nodeDefaults.probes', sockopt.nodeDefaults.probes);
		put('sockopt.nodeDefaults.idleAfter500ms', sockopt.nodeDefaults.idleAfter500ms);
		put('sockopt.nodeDefaults.idleAfter1500ms', sockopt.nodeDefaults.idleAfter1500ms);
	}

	const params = paramsOf(s);
	if (params) {
		put('params.idle', params.idle);
		put('params.intvl', params.intvl);
		put('params.probes', params.probes);
		put('params.deadAfter', params.idle + params.probes * params.intvl);
		put('params.answeredGap', Math.max(params.idle, params.intvl));
	}

	putPacket(put, 'lastAck', s.lastAck);
	putPacket(put, 'probe', s.probe);
	putPacket(put, 'probeAck', s.probeAck);
	putPacket(put, 'heard', s.heard);
	if (s.heard) put('heard.kind', kindLabels[s.heard.kind]);
	if (s.lastAck) put('probe.expectedRelSeq', (s.lastAck.relAck - 1) >>> 0);

	if (s.lastT !== null) {
		put('probes.sent', s.counters.probesSent);
		put('probes.answered', s.counters.probesAnswered);
	}

	if (s.clock?.probeAt != null) put('probes.lastAt', time(s.clock.probeAt));
	const [before, last] = s.openProbeTimes;
	if (before !== undefined && last !== undefined) put('probes.lastGap', time(last - before));

	const {drop} = s;
	if (drop.t !== null) {
		put('drop.state', drop.on ? 'on' : 'off');
		put('drop.command', drop.command);
		put('drop.t', time(drop.t));
		put('drop.dropped', s.counters.acksDropped);
		put('drop.probes', drop.probeTimes.length);
		if (drop.probeTimes.length > 0) put('drop.probeTimes', list(drop.probeTimes));
		if (drop.clockAtDrop) {
			put('drop.lastAckAt', time(drop.clockAtDrop.heardAt));
			if (drop.clockAtDrop.probeAt !== null) put('drop.lastProbeAt', time(drop.clockAtDrop.probeAt));
			if (s.rst) put('rst.sinceHeard', time(s.rst.t - drop.clockAtDrop.heardAt));
			if (params) {
				const model = expectedTimeline(params, drop.clockAtDrop);
				if (model.probes.length > 0) put('drop.expectedProbes', list(model.probes));
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
			if (reading.state !== 'gone' && reading.sinceRecv !== undefined) put(`kernel.${side}.sinceRecv`, due(reading.sinceRecv));
			const next = params && reading.state !== 'gone' ? nextFromReading(params, reading) : null;
			if (next) put(`kernel.${side}.nextIn`, due(next.in));
			put(`kernel.${side}.retransmits`, reading.retransmits);
			put(`kernel.${side}.rto`, reading.rto === undefined ? undefined : due(reading.rto));
			put(`kernel.${side}.backoff`, reading.backoff);
			put(`kernel.${side}.unacked`, reading.unacked);
		}

		const app = s.app[side];
		const wrote = app.sent.at(-1);
		const read = app.received.at(-1);
		if (wrote) {
			put(`${side}.wrote`, lineOf(wrote));
			put(`${side}.wroteAt`, time(wrote.t));
		}

		if (read) {
			put(`${side}.read`, lineOf(read));
			put(`${side}.readAt`, time(read.t));
		}

		put(`${side}.writeError`, app.errors.at(-1));

		const [code] = s.socketErrors[side];
		const socket = s.sockets[side];
		if (code !== undefined) {
			put(`${side}.error`, code);
			if (socket.t !== null) put(`${side}.errorAt`, time(socket.t));
		}
	}

	putTimers(put, s, params);
	putInFlight(put, s);
	putRouter(put, s);
	if (s.client.frozenAt !== null) {
		put('peer.frozenAt', time(s.client.frozenAt));
		put('peer.answeredWhileFrozen', s.client.answeredWhileFrozen);
	}

	if (s.client.resumedAt !== null) put('peer.resumedAt', time(s.client.resumedAt));
	return facts;
}

type Put = (name: FactName, value: string | number | null | undefined) => void;

/** The first probe against its due time (idle after the client's last ACK), and the probes after the drop against the model's. */
function putTimers(put: Put, s: RunState, params: ReturnType<typeof paramsOf>): void {
	if (!params) return;
	if (s.lastAck && s.probe) {
		const due = s.lastAck.t + params.idle;
		put('probe.due', time(due));
		put('probe.late', signed(s.probe.t - due));
		put('probe.slack', time(timerSlack(params.idle)));
	}

	const at = s.drop.clockAtDrop;
	if (at && s.drop.probeTimes.length > 0) {
		const model = expectedTimeline(params, at).probes;
		const late = s.drop.probeTimes.slice(0, model.length).map((t, index) => signed(t - model[index]!));
		put('drop.probeLate', late.join(', '));
		put('drop.probeSlack', time(timerSlack(params.intvl)));
	}
}

/** The server's data in flight: its retransmissions, and the kernel's rule for when it gives up. */
function putInFlight(put: Put, s: RunState): void {
	const sockopt = s.sockopt.server;
	if (sockopt?.userTimeout !== undefined) put('params.userTimeout', sockopt.userTimeout);
	if (sockopt?.keepalive !== undefined) put('sockopt.keepalive', sockopt.keepalive ? 'on' : 'off');
	const retries2 = s.sysctl?.tcp_retries2;
	if (retries2 !== undefined) {
		put('lab.tcp_retries2', retries2);
		put('retrans.giveUpAfter', time(giveUpAfter(retries2)));
	}

	const f = s.inFlight;
	if (f.firstDataAt === null) return;
	put('retrans.count', f.retransmissions);
	put('retrans.probesWhileUnacked', f.probesWhileUnacked);
	if (f.retransmissionTimes.length > 0) put('retrans.times', list(f.retransmissionTimes));
	const gaps = f.retransmissionTimes.slice(1).map((t, index) => t - f.retransmissionTimes[index]!);
	if (gaps.length > 0) put('retrans.gaps', list(gaps));
	if (f.firstRtoAt === null) return;
	put('retrans.firstRtoAt', time(f.firstRtoAt));
	if (!sockopt?.userTimeout || retries2 === undefined) return;
	const rule = retransmissionGiveUp(f.firstRtoAt, sockopt.userTimeout, retries2);
	put('retrans.expectedError', time(rule.at));
	const errorAt = s.sockets.server.state === 'error' ? s.sockets.server.t : null;
	if (errorAt !== null) put('retrans.errorLate', signed(errorAt - rule.at));
}

/** The NAT router: its timeout, its entry for the connection, its INVALID rule and what crossed it. */
function putRouter(put: Put, s: RunState): void {
	const {router} = s;
	if (router.nat) {
		put('router.timeout', router.nat.timeout);
		put('router.loose', router.nat.loose);
		put('router.in.clientData', clientDataAt(s, 'router-in'));
		put('router.out.clientData', clientDataAt(s, 'router-out'));
		put('router.in.probes', countOf(router.counts['router-in'], 'keepalive', 'server'));
		put('router.out.probes', countOf(router.counts['router-out'], 'keepalive', 'server'));
	}

	const entry = router.conntrack;
	if (entry) {
		put('conntrack.entry', entry.present ? 'present' : 'gone');
		put('conntrack.state', entry.state);
		put('conntrack.timeout', entry.timeout);
		put('conntrack.natPort', entry.natPort);
	}

	if (router.forgottenAt !== null) put('conntrack.forgottenAt', time(router.forgottenAt));
	if (router.invalid) {
		put('invalid.dropped', router.invalid.dropped);
		put('invalid.command', router.invalid.command);
	}
}

function putPacket(
	put: (name: FactName, value: string | number) => void,
	prefix: 'lastAck' | 'probe' | 'probeAck' | 'heard',
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
	return factsOf(foldRunEvents(events));
}
