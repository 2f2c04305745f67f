import type {Socket} from 'node:net';
import type {NodeDefaults} from './events.js';

/** Lines a peer process writes to its stdout for the agent, one JSON object each. */
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

export function send(message: PeerMessage): void {
	process.stdout.write(JSON.stringify(message) + '\n');
}

/** Reports the socket's connection, its error (ETIMEDOUT, ECONNRESET …) and its close; the peer ends with it. */
export function reportSocket(socket: Socket): void {
	send({ev: 'connected', at: nowMs(), localPort: socket.localPort ?? 0, remotePort: socket.remotePort ?? 0});
	socket.on('error', (error: NodeJS.ErrnoException) => send({ev: 'error', at: nowMs(), code: error.code ?? error.message}));
	socket.on('close', () => {
		send({ev: 'closed', at: nowMs()});
		process.exit(0);
	});
	socket.resume();
}
