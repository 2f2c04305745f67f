import type {Socket} from 'node:net';
import type {NodeDefaults} from './events.js';
import type {KeepaliveParams} from './params.js';

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
			userTimeout?: number;
	  }
	| {ev: 'connected'; at: number; localPort: number; remotePort: number}
	| {ev: 'error'; at: number; code: string}
	| {ev: 'closed'; at: number}
	| {ev: 'sent' | 'received'; at: number; bytes: number; text: string}
	| {ev: 'write-error'; at: number; code: string}
	| {ev: 'fatal'; message: string};

/** What the scenario asks of the client: its argv[3], as JSON. */
export type ClientConfig = {keepalive: KeepaliveParams | null; answers: boolean; /** The server's address; default 127.0.0.1. */ host?: string};

/** Agent → client, one JSON object per line on the client's stdin. */
export type ClientCommand = {cmd: 'connect'} | {cmd: 'send'; text: string};

/** Wall-clock milliseconds with sub-millisecond precision, comparable with capture timestamps. */
export function nowMs(): number {
	return performance.timeOrigin + performance.now();
}

/** A peer process's report, as a line on its stdout. */
export function send(message: PeerMessage): void {
	process.stdout.write(JSON.stringify(message) + '\n');
}

/** A line as the application writes it: the text and one newline. */
function asLine(text: string): string {
	return text.endsWith('\n') ? text : text + '\n';
}

/** Has the application write a line, and reports it once the kernel took it, or the write's error. */
export function writeLine(socket: Socket, text: string, report: (message: PeerMessage) => void): void {
	const line = asLine(text);
	// Stamped when the application writes, before the segment leaves: the callback comes after it.
	const at = nowMs();
	socket.write(line, error => {
		if (error) report({ev: 'write-error', at: nowMs(), code: (error as NodeJS.ErrnoException).code ?? error.message});
		else report({ev: 'sent', at, bytes: Buffer.byteLength(line), text: line});
	});
}

/**
 * Reports the socket's connection, what its application reads, its error (ETIMEDOUT,
 * ECONNRESET …) and its close, then calls `closed`. `onLine` gets each line read.
 */
export function reportSocket(socket: Socket, report: (message: PeerMessage) => void, closed?: () => void, onLine?: (line: string) => void): void {
	report({ev: 'connected', at: nowMs(), localPort: socket.localPort ?? 0, remotePort: socket.remotePort ?? 0});
	socket.on('error', (error: NodeJS.ErrnoException) => report({ev: 'error', at: nowMs(), code: error.code ?? error.message}));
	socket.on('close', () => {
		report({ev: 'closed', at: nowMs()});
		closed?.();
	});
	socket.setEncoding('utf8');
	let partial = '';
	socket.on('data', (text: string) => {
		// Reported when the application reads it: a frozen process reads nothing until it runs again.
		report({ev: 'received', at: nowMs(), bytes: Buffer.byteLength(text), text});
		const lines = (partial + text).split('\n');
		partial = lines.pop() ?? '';
		for (const line of lines) onLine?.(line);
	});
}
