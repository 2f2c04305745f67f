/**
 * The kernel's own view of the lab's two sockets, read from /proc/<pid>/net/tcp.
 *
 * Each line is printed by net/ipv4/tcp_ipv4.c (get_tcp4_sock, get_timewait4_sock,
 * get_openreq4; tcp_ipv6.c has the same columns with 32-digit addresses):
 *
 *   sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt   uid  timeout inode ...
 *    2: 0100007F:9E4E 0100007F:98AC 01 00000000:00000000 02:000007BB 00000000     0        4 37577 ...
 *
 * - `st`: the TCP state in hex (01 ESTABLISHED … 0A LISTEN).
 * - `tr`: which timer is pending: 0 none, 1 retransmit (also loss probe / reordering),
 *   2 keepalive (sk_timer), 3 TIME_WAIT, 4 zero-window probe.
 * - `tm->when`: clock ticks until that timer fires, in hex, at USER_HZ = 100. The kernel
 *   prints it with jiffies_delta_to_clock_t, which clamps a past-due timer to 0.
 * - `retrnsmt`: icsk_retransmits (hex).
 * - `timeout`: icsk_probes_out (decimal) — for the keepalive timer, the probes sent
 *   so far that have not been answered. `ss -tno` shows the same as
 *   `timer:(keepalive,1.684ms,2)`.
 *
 * The file is readable without privileges by any process inside the namespace.
 */

import {readFileSync} from 'node:fs';
import type {KernelReading, Side, TimerKind} from '../shared/events.js';

/** USER_HZ: the unit of `tm->when` (clock ticks per second), fixed at 100 for user space. */
export const userHz = 100;

/** include/net/tcp_states.h, without the TCP_ prefix. */
const stateNames: ReadonlyMap<number, string> = new Map([
	[0x01, 'ESTABLISHED'],
	[0x02, 'SYN_SENT'],
	[0x03, 'SYN_RECV'],
	[0x04, 'FIN_WAIT1'],
	[0x05, 'FIN_WAIT2'],
	[0x06, 'TIME_WAIT'],
	[0x07, 'CLOSE'],
	[0x08, 'CLOSE_WAIT'],
	[0x09, 'LAST_ACK'],
	[0x0a, 'LISTEN'],
	[0x0b, 'CLOSING'],
	[0x0c, 'NEW_SYN_RECV'],
	[0x0d, 'BOUND_INACTIVE'],
]);

const timerKinds: readonly TimerKind[] = ['none', 'retransmit', 'keepalive', 'timewait', 'probe'];

/** The name of a TCP state as /proc/net/tcp's `st` column encodes it. */
export function tcpStateName(code: number): string {
	return stateNames.get(code) ?? `UNKNOWN_0x${code.toString(16).padStart(2, '0').toUpperCase()}`;
}

/** The timer kind of /proc/net/tcp's `tr` column; codes the kernel does not print map to 'none'. */
export function timerKindOf(code: number): TimerKind {
	return timerKinds[code] ?? 'none';
}

/** One line of /proc/net/tcp (or tcp6), with the columns the lab uses. */
export type ProcTcpRow = {
	localAddress: string;
	localPort: number;
	remoteAddress: string;
	remotePort: number;
	stateCode: number;
	state: string;
	timerCode: number;
	timer: TimerKind;
	/** Clock ticks (1/100 s) until the timer fires; 0 when due or past due. */
	ticks: number;
	retransmits: number;
	/** The `timeout` column: icsk_probes_out. */
	probesOut: number;
	inode: number;
};

// sl: local:port remote:port st tx:rx tr:when retrnsmt uid timeout inode
const lineRe =
	/^\s*\d+:\s+([0-9A-Fa-f]+):([0-9A-Fa-f]{4})\s+([0-9A-Fa-f]+):([0-9A-Fa-f]{4})\s+([0-9A-Fa-f]{2})\s+[0-9A-Fa-f]{8}:[0-9A-Fa-f]{8}\s+([0-9A-Fa-f]{2}):([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+(\d+)\s+(-?\d+)\s+(\d+)/;

/** Parses every socket line of /proc/net/tcp or /proc/net/tcp6 text; the header and odd lines are skipped. */
export function parseProcNetTcpRows(text: string): ProcTcpRow[] {
	const rows: ProcTcpRow[] = [];
	for (const line of text.split('\n')) {
		const m = lineRe.exec(line);
		if (!m) {
			continue;
		}

		const [, localAddress, localPort, remoteAddress, remotePort, st, tr, when, retrnsmt, , timeout, inode] = m;
		const stateCode = Number.parseInt(st!, 16);
		const timerCode = Number.parseInt(tr!, 16);
		rows.push({
			localAddress: localAddress!,
			localPort: Number.parseInt(localPort!, 16),
			remoteAddress: remoteAddress!,
			remotePort: Number.parseInt(remotePort!, 16),
			stateCode,
			state: tcpStateName(stateCode),
			timerCode,
			timer: timerKindOf(timerCode),
			ticks: Number.parseInt(when!, 16),
			retransmits: Number.parseInt(retrnsmt!, 16),
			probesOut: Math.max(0, Number.parseInt(timeout!, 10)),
			inode: Number.parseInt(inode!, 10),
		});
	}

	return rows;
}

const tcpListen = 0x0a;

/** Which of the lab's two connection sockets this is (the listening socket is neither), or undefined. */
export function labSideOf(socket: {stateCode: number; localPort: number; remotePort: number}, serverPort: number): Side | undefined {
	if (socket.stateCode === tcpListen) return undefined;
	if (socket.localPort === serverPort) return 'server';
	if (socket.remotePort === serverPort) return 'client';
	return undefined;
}

/**
 * The kernel's readings of the lab's connection: the socket whose local port is the
 * server's port is the server's, the one whose remote port is the server's port is the
 * client's. The LISTEN socket is skipped. Sockets appear in table order; a side that
 * has left the table is simply absent (the caller decides what "gone" means).
 */
export function parseProcNetTcp(text: string, serverPort: number): KernelReading[] {
	const readings: KernelReading[] = [];
	for (const row of parseProcNetTcpRows(text)) {
		const side = labSideOf(row, serverPort);
		if (!side) continue;

		readings.push({
			side,
			state: row.state,
			timer: row.timer,
			dueIn: row.ticks / userHz,
			probesOut: row.probesOut,
			retransmits: row.retransmits,
		});
	}

	return readings;
}

/**
 * The kernel's readings of the lab's sockets right now, from the namespace of the
 * calling process: the fallback where sock_diag is missing. Only tcp, since the lab's
 * server listens on 127.0.0.1; each read walks the whole established hash, which is
 * shared with the host (~4 ms at 262144 buckets).
 */
export function readKernelSync(serverPort: number): KernelReading[] {
	return parseProcNetTcp(readFileSync('/proc/self/net/tcp', 'utf8'), serverPort);
}
