import type {FirewallEvent, KernelReading, LabEvent, PacketEvent, Side, SummaryEvent} from '../lab/shared/events.js';
import {kindLabels} from '../lab/model/kind-labels.js';

const arrow: Record<Side, string> = {server: 'server → client', client: 'client → server'};

function time(t: number): string {
	return t.toFixed(3).padStart(9);
}

function packetLine(event: PacketEvent): string {
	const kind = kindLabels[event.kind].padEnd(15);
	return `${arrow[event.from]}  ${kind} seq=${event.relSeq} ack=${event.relAck} len=${event.len}  [${event.flags.join(', ')}]`;
}

function kernelLine(reading: KernelReading): string {
	if (reading.state === 'gone') return `kernel   ${reading.side} socket is gone`;
	const timer = reading.timer === 'none' ? 'no timer' : `${reading.timer} timer due in ${reading.dueIn.toFixed(2)} s`;
	return `kernel   ${reading.side}: ${reading.state}, ${timer}, ${reading.probesOut} unanswered probe(s)`;
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
					? `lab ready: ${event.sandbox === 'userns' ? 'user + network namespace' : 'network namespace'}, firewall ${event.firewall}, server 127.0.0.1:${event.port}`
					: event.event === 'error'
						? `lab error: ${event.message}`
						: 'lab stopped: no process and no namespace left';
			break;
		}

		case 'sockopt': {
			text = `sockopt  ${event.side} keepalive read back: idle ${event.idle} s, intvl ${event.intvl} s, probes ${event.probes} (Node's setKeepAlive alone had set intvl ${event.nodeDefaults.intvl} s, probes ${event.nodeDefaults.probes})`;
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

		case 'summary': {
			return formatSummary(event);
		}
	}

	return `${time(event.t)}  ${text}`;
}

export function formatSummary(summary: SummaryEvent): string {
	const {idle, intvl, probes} = summary.params;
	const rst =
		summary.rstAt === null
			? 'no RST'
			: `RST at ${summary.rstAt.toFixed(3)} s (the model expected ${summary.expectedRstAt?.toFixed(3) ?? '?'} s, ${formatDelta(summary.rstAt, summary.expectedRstAt)})`;
	return [
		'',
		`summary  idle ${idle} s, intvl ${intvl} s, probes ${probes}`,
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
