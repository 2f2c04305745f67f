import type {FirewallEvent, KernelReading, LabEvent, NatInfo, PacketEvent, Side, SummaryEvent} from '../lab/shared/events.js';
import {kindLabels} from '../lab/model/kind-labels.js';

const arrow: Record<Side, string> = {server: 'server → client', client: 'client → server'};

function time(t: number): string {
	return t.toFixed(3).padStart(9);
}

/** Where the router saw a segment, when it did: last on the line, so the columns stay where they are. */
const routerAt = {'router-in': '  (into the router)', 'router-out': '  (out of the router)'} as const;

function packetLine(event: PacketEvent): string {
	const kind = kindLabels[event.kind].padEnd(15);
	return `${arrow[event.from]}  ${kind} seq=${event.relSeq} ack=${event.relAck} len=${event.len}  [${event.flags.join(', ')}]${event.at ? routerAt[event.at] : ''}`;
}

function kernelLine(reading: KernelReading): string {
	if (reading.state === 'gone') return `kernel   ${reading.side} socket is gone`;
	const timer = reading.timer === 'none' ? 'no timer' : `${reading.timer} timer due in ${reading.dueIn.toFixed(2)} s`;
	// Only where the kernel retransmits: an idle connection's lines stay as they were.
	const retransmitting = reading.timer === 'retransmit' || (reading.retransmits ?? 0) > 0;
	const rto = reading.rto === undefined ? '' : `, RTO ${reading.rto.toFixed(3)} s (backed off ${reading.backoff ?? 0}×)`;
	const retransmits = retransmitting ? `, ${reading.retransmits ?? '?'} retransmission(s)${rto}` : '';
	return `kernel   ${reading.side}: ${reading.state}, ${timer}, ${reading.probesOut} unanswered probe(s)${retransmits}`;
}

function sockoptExtras(event: Extract<LabEvent, {type: 'sockopt'}>): string {
	const off = event.keepalive === false ? ' — keepalive is off' : '';
	const userTimeout = event.userTimeout === undefined ? '' : `, TCP_USER_TIMEOUT ${event.userTimeout} ms`;
	return `${userTimeout}${off}`;
}

function natLine(nat: NatInfo, port: number): string {
	return `client ${nat.client} → router ${nat.routerClientSide} | ${nat.routerServerSide} (masquerade; conntrack forgets an idle connection after ${nat.timeout} s, tcp_loose ${nat.loose}) → server ${nat.server}:${port}; in the router: ${nat.commands.join('; ')}`;
}

/** A firewall event that only reports the rule's counter moving. */
export function formatDropCount(event: FirewallEvent): string {
	return `${time(event.t)}  firewall the rule has dropped ${event.dropped} client packet(s)`;
}

/**
 * One readable line for an event, or null for events that add nothing to a
 * timeline (the caller decides which kernel readings are news).
 */
export function formatEvent(event: LabEvent): string | null {
	let text: string | null;
	switch (event.type) {
		case 'lab': {
			text =
				event.event === 'ready'
					? `lab ready: ${event.sandbox === 'userns' ? 'user + network namespace' : 'network namespace'}, firewall ${event.firewall}, ${event.nat ? natLine(event.nat, event.port) : `server 127.0.0.1:${event.port}`}`
					: event.event === 'error'
						? `lab error: ${event.message}`
						: 'lab stopped: no process and no namespace left';
			break;
		}

		case 'sockopt': {
			text = `sockopt  ${event.side} keepalive read back: idle ${event.idle} s, intvl ${event.intvl} s, probes ${event.probes} (Node's setKeepAlive alone had set intvl ${event.nodeDefaults.intvl} s, probes ${event.nodeDefaults.probes})${sockoptExtras(event)}`;
			break;
		}

		case 'sysctl': {
			text = `sysctl   in the lab's namespace: tcp_keepalive_time ${event.tcp_keepalive_time}, tcp_keepalive_intvl ${event.tcp_keepalive_intvl}, tcp_keepalive_probes ${event.tcp_keepalive_probes} (the host's are untouched)`;
			break;
		}

		case 'packet': {
			text = packetLine(event);
			break;
		}

		case 'kernel': {
			text = kernelLine(event);
			break;
		}

		case 'firewall': {
			text = `firewall ${event.action === 'drop' ? 'drop' : 'allow'}: ${event.command}  (rule dropped ${event.dropped} packet(s))`;
			break;
		}

		case 'socket': {
			const what = event.event === 'connected' ? `connected ${event.localPort ?? ''} → ${event.remotePort ?? ''}` : event.event;
			text = `socket   ${event.side} ${what}${event.code ? ` ${event.code}` : ''}`;
			break;
		}

		case 'app': {
			const what = event.event === 'error' ? `write failed ${event.code ?? ''}` : `${event.event} ${event.bytes} byte(s) ${JSON.stringify(event.text ?? '')}`;
			text = `app      ${event.side} ${what}`;
			break;
		}

		case 'peer': {
			text = `peer     ${event.side} process ${event.pid} ${event.event === 'frozen' ? 'frozen (SIGSTOP): its kernel still answers' : 'resumed (SIGCONT)'}`;
			break;
		}

		case 'conntrack': {
			text = event.present
				? `router   conntrack ${event.state ?? '?'}, forgets it in ${event.timeout ?? '?'} s (client seen as port ${event.natPort ?? '?'})`
				: 'router   conntrack has no entry for the connection';
			break;
		}

		case 'invalid': {
			text = `router   INVALID rule has dropped ${event.dropped} packet(s)  (${event.command})`;
			break;
		}

		case 'summary': {
			return formatSummary(event);
		}
	}

	return `${time(event.t)}  ${text}`;
}

/** The lines of a scenario's own findings, between the counts and the verdict. */
function scenarioLines(summary: SummaryEvent): string[] {
	const at = (t: number | null | undefined) => (t === null || t === undefined ? 'never' : `${t.toFixed(3)} s`);
	if (summary.scenario === 'busy') {
		const error = summary.userTimeout
			? `server ETIMEDOUT at ${at(summary.serverErrorAt)} (the kernel's rule: the user timeout after the first RTO retransmission at ${at(summary.firstRtoAt)}: ${at(summary.expectedErrorAt)})`
			: `without a user timeout the kernel would give up at ${at(summary.expectedErrorAt)} (tcp_retries2's worth after the first RTO retransmission at ${at(summary.firstRtoAt)})`;
		return [
			`         data sent at ${at(summary.dataSentAt)}; ${summary.retransmissions ?? 0} retransmission(s) on the wire, the kernel counted ${summary.kernelRetransmits ?? 0}; ${summary.probesWhileUnacked ?? 0} probe(s) while unacknowledged`,
			`         ${error}`,
		];
	}

	if (summary.scenario === 'frozen') {
		return [
			`         ${summary.answeredWhileFrozen ?? 0} probe(s) answered while frozen; request ACKed at ${at(summary.requestAckedAt)} by the client's kernel`,
			`         resumed at ${at(summary.resumedAt)}: the application read the request at ${at(summary.requestReadAt)}, replied at ${at(summary.replyAt)}`,
		];
	}

	if (summary.scenario === 'nat') {
		return [
			`         server keepalive ${summary.keepalive ? 'on' : 'off'}, router forgets after ${summary.natTimeout ?? '?'} s idle; the client wrote at ${at(summary.lineSentAt)}: ${summary.delivered ? 'delivered' : 'lost'} (the kernel's rules: ${summary.expected ?? '?'})`,
			`         ${summary.dataIntoRouter ?? 0} client data segment(s) into the router, ${summary.dataOutOfRouter ?? 0} out of it; ${summary.invalidDropped ?? 0} dropped as INVALID`,
		];
	}

	return [];
}

export function formatSummary(summary: SummaryEvent): string {
	const {idle, intvl, probes} = summary.params;
	const userTimeout = summary.userTimeout ? `, user timeout ${summary.userTimeout} ms` : '';
	if (summary.scenario !== undefined) {
		return [
			'',
			`summary  ${summary.scenario}: idle ${idle} s, intvl ${intvl} s, probes ${probes}${userTimeout}`,
			`         ${summary.probesSent} probe(s) sent, ${summary.probesAnswered} answered, ${summary.dropped} client packet(s) dropped by the firewall`,
			...scenarioLines(summary),
			`         server: ${summary.serverError ?? 'no error'}, client: ${summary.clientError ?? 'no error'}`,
			`         ${summary.ok ? 'OK: the kernel kept its rules' : `FAILED: ${summary.failure ?? ''}`}`,
		].join('\n');
	}

	const rst =
		summary.rstAt === null
			? 'no RST'
			: `RST at ${summary.rstAt.toFixed(3)} s (the model expected ${summary.expectedRstAt?.toFixed(3) ?? '?'} s, ${formatDelta(summary.rstAt, summary.expectedRstAt)})`;
	return [
		'',
		`summary  idle ${idle} s, intvl ${intvl} s, probes ${probes}${userTimeout}`,
		`         ${summary.probesSent} probe(s) sent, ${summary.probesAnswered} answered, ${summary.dropped} client packet(s) dropped by the firewall`,
		`         ${rst}`,
		`         server: ${summary.serverError ?? 'no error'}, client: ${summary.clientError ?? 'no error'}`,
		`         ${summary.ok ? 'OK: the kernel ended the connection as expected' : `FAILED: ${summary.failure ?? ''}`}`,
	].join('\n');
}

function formatDelta(actual: number, expected: number | null): string {
	if (expected === null) return 'no prediction';
	const ms = Math.round((actual - expected) * 1000);
	return ms >= 0 ? `${ms} ms late` : `${-ms} ms early`;
}
