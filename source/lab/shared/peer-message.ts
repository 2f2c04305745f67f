import type {Socket} from 'node:net';
import type {NodeDefaults} from './events.js';

/** What a peer reports to the agent: the client as lines on its stdout, one JSON object each; the agent's own server as calls. */
export type PeerMessage =
	| {ev: 'listening'}
	| {
			ev: 'sockopt';
			keepalive: boolean;
			idle: number;
			intvl: number;
			probes: number;
			nodeDefaults: NodeDefaults;
	  }
	| {ev: 'connected'; at: number; localPort: number; remotePort: number}
	| {ev: 'error'; at: number; code: string}
	| {ev: 'closed'; at: number}
	| {ev: 'fatal'; message: string};

/** Wall-clock milliseconds with sub-millisecond precision, comparable with capture timestamps. */
export function nowMs(): number {
	return performance.timeOrigin + performance.now();
}

/** A peer process's report, as a line on its stdout. */
export function send(message: PeerMessage): void {
	process.stdout.write(JSON.stringify(message) + '\n');
}

/** Reports the socket's connection, its error (ETIMEDOUT, ECONNRESET …) and its close, then calls `closed`. */
export function reportSocket(socket: Socket, report: (message: PeerMessage) => void, closed?: () => void): void {
	report({ev: 'connected', at: nowMs(), localPort: socket.localPort ?? 0, remotePort: socket.remotePort ?? 0});
	socket.on('error', (error: NodeJS.ErrnoException) => report({ev: 'error', at: nowMs(), code: error.code ?? error.message}));
	socket.on('close', () => {
		report({ev: 'closed', at: nowMs()});
		closed?.();
	});
	socket.resume();
}
