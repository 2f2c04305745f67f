/**
 * The lab's keepalive server, a socket of the agent's own (the agent already runs
 * inside the namespace, so a process for it would only cost start-up time and memory):
 * it accepts one connection on <host>:<port> (127.0.0.1, or the NAT scenario's server address), sets keepalive (and TCP_USER_TIMEOUT)
 * as the scenario says, reads them back from the kernel, and writes a line on demand.
 */
import net from 'node:net';
import {applySocketOptions, type SocketOptions} from '../shared/keepalive-sockopt.js';
import {type PeerMessage, reportSocket, writeLine} from '../shared/peer-message.js';

export type KeepaliveServer = {
	/** Resolves once it listens; rejects with the reason it cannot. */
	listening: Promise<void>;
	/** Writes a line to the connection; throws before there is one. */
	send(text: string): void;
	/** Closes the listener and the connection, if any. */
	close(): void;
};

/** Reports what the peers' processes report, as the same messages. */
export function startServer(port: number, options: SocketOptions, onMessage: (message: PeerMessage) => void, host = '127.0.0.1'): KeepaliveServer {
	let connection: net.Socket | undefined;
	const server = net.createServer({pauseOnConnect: false}, socket => {
		server.close(); // one connection is the whole experiment
		connection = socket;
		onMessage(applySocketOptions(socket, options));
		reportSocket(socket, onMessage);
	});
	const listening = new Promise<void>((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			reject(new Error(`the server cannot listen on ${host}:${port}: ${error.code ?? error.message}`));
		});
		server.listen(port, host, resolve);
	});
	return {
		listening,
		send(text) {
			if (!connection) throw new Error('the server has no connection yet');
			writeLine(connection, text, onMessage);
		},
		close() {
			server.close();
			connection?.destroy();
		},
	};
}
