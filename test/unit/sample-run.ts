import type {LabEvent, PacketEvent, SegmentKind, Side} from '../../source/lab/shared/events.js';

/** A recorded-like lab run for the unit tests, modelled on a real fast run. */
export const serverIsn = 2_210_185_192;
const clientIsn = 2_698_626_300;

export function packet(t: number, from: Side, kind: SegmentKind, relSeq: number, relAck: number, flags = ['ACK'], len = 0): PacketEvent {
	const [mine, theirs] = from === 'server' ? [serverIsn, clientIsn] : [clientIsn, serverIsn];
	return {t, type: 'packet', from, flags: flags as PacketEvent['flags'], seq: mine + relSeq, ack: relAck === 0 ? 0 : theirs + relAck, relSeq, relAck, len, kind};
}

export const command = 'iptables -A INPUT -p tcp --sport 40526 -j DROP';

/** A fast run (idle 2, intvl 1, probes 3): one answered probe, the drop at 2.5 s, three unanswered probes, the RST. */
export const run: LabEvent[] = [
	{t: 0, type: 'lab', event: 'ready', sandbox: 'userns', port: 6699, firewall: 'iptables'},
	packet(0.002, 'client', 'syn', 0, 0, ['SYN']),
	packet(0.002, 'server', 'syn-ack', 0, 1, ['SYN', 'ACK']),
	packet(0.002, 'client', 'ack', 1, 1),
	{t: 0.003, type: 'socket', side: 'client', event: 'connected', localPort: 40526, remotePort: 6699},
	{t: 0.004, type: 'sockopt', side: 'server', idle: 2, intvl: 1, probes: 3, nodeDefaults: {intvl: 1, probes: 10, idleAfter500ms: 600, idleAfter1500ms: 1}},
	{t: 0.004, type: 'kernel', side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 2, probesOut: 0},
	packet(2.006, 'server', 'keepalive', 0, 1),
	packet(2.006, 'client', 'keepalive-ack', 1, 1),
	{t: 2.5, type: 'firewall', action: 'drop', command, dropped: 0},
	packet(4.012, 'server', 'keepalive', 0, 1),
	packet(4.012, 'client', 'keepalive-ack', 1, 1),
	{t: 4.013, type: 'kernel', side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 1, probesOut: 1},
	{t: 4.033, type: 'firewall', action: 'drop', command, dropped: 1},
	packet(5.02, 'server', 'keepalive', 0, 1),
	packet(5.02, 'client', 'keepalive-ack', 1, 1),
	{t: 5.021, type: 'kernel', side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 0.99, probesOut: 2},
	packet(6.028, 'server', 'keepalive', 0, 1),
	packet(6.028, 'client', 'keepalive-ack', 1, 1),
	{t: 6.029, type: 'kernel', side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 1, probesOut: 3},
	{t: 6.049, type: 'firewall', action: 'drop', command, dropped: 3},
	packet(7.036, 'server', 'rst', 1, 1, ['RST', 'ACK']),
	{t: 7.037, type: 'socket', side: 'server', event: 'error', code: 'ETIMEDOUT'},
	{t: 7.037, type: 'socket', side: 'client', event: 'error', code: 'ECONNRESET'},
	{t: 7.038, type: 'kernel', side: 'server', state: 'gone', timer: 'none', dueIn: 0, probesOut: 0},
];

/** A whole fast run as the course sees it: two answered probes, then the drop, three unanswered probes, the RST. */
export const fullRun: LabEvent[] = [
	run[0]!,
	{t: 0, type: 'sysctl', tcp_keepalive_time: 600, tcp_keepalive_intvl: 30, tcp_keepalive_probes: 5},
	...run.slice(1, 9),
	packet(4.01, 'server', 'keepalive', 0, 1),
	packet(4.01, 'client', 'keepalive-ack', 1, 1),
	{t: 4.011, type: 'kernel', side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 2, probesOut: 0},
	{t: 4.5, type: 'firewall', action: 'drop', command, dropped: 0},
	packet(6.02, 'server', 'keepalive', 0, 1),
	packet(6.02, 'client', 'keepalive-ack', 1, 1),
	{t: 6.021, type: 'kernel', side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 1, probesOut: 1},
	{t: 6.04, type: 'firewall', action: 'drop', command, dropped: 1},
	packet(7.03, 'server', 'keepalive', 0, 1),
	packet(7.03, 'client', 'keepalive-ack', 1, 1),
	{t: 7.031, type: 'kernel', side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 1, probesOut: 2},
	packet(8.04, 'server', 'keepalive', 0, 1),
	packet(8.04, 'client', 'keepalive-ack', 1, 1),
	{t: 8.041, type: 'kernel', side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 1, probesOut: 3},
	{t: 8.06, type: 'firewall', action: 'drop', command, dropped: 3},
	packet(9.05, 'server', 'rst', 1, 1, ['RST', 'ACK']),
	{t: 9.051, type: 'socket', side: 'server', event: 'error', code: 'ETIMEDOUT'},
	{t: 9.051, type: 'socket', side: 'client', event: 'error', code: 'ECONNRESET'},
	{t: 9.052, type: 'kernel', side: 'server', state: 'gone', timer: 'none', dueIn: 0, probesOut: 0},
	{t: 9.3, type: 'lab', event: 'stopped'},
];
