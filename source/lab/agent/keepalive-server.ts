/**
 * The lab's keepalive server, a socket of the agent's own (the agent already runs
 * inside the namespace, so a process for it would only cost start-up time and memory):
 * it accepts one connection on 127.0.0.1:<port>, turns keepalive on with the given
 * idle / intvl / probes, reads them back from the kernel and then only waits.
 */
import net from 'node:net';
import {getKeepAliveInterval, getKeepAliveProbes, setKeepAliveInterval, setKeepAliveProbes} from 'net-keepalive';
import {getsockoptInt, SO_KEEPALIVE, SOL_SOCKET, SOL_TCP, TCP_KEEPCNT, TCP_KEEPIDLE, TCP_KEEPINTVL} from '../shared/libc.js';
import type {KeepaliveParams} from '../shared/params.js';
import {type PeerMessage, reportSocket} from '../shared/peer-message.js';

export type KeepaliveServer = {
	/** Resolves once it listens; rejects with the reason it cannot. */
	listening: Promise<void>;
	/** Closes the listener and the connection, if any. */
	close(): void;
};

function socketFd(socket: net.Socket): number {
	return (socket as unknown as {_handle: {fd: number}})._handle.fd;
}

/** Reports what the peers' processes report, as the same messages. */
export function startServer(port: number, params: KeepaliveParams, onMessage: (message: PeerMessage) => void): KeepaliveServer {
	let connection: net.Socket | undefined;
	const server = net.createServer({pauseOnConnect: false}, socket => {
		server.close(); // one connection is the whole experiment
		connection = socket;
		const fd = socketFd(socket);
		// What this Node does with a delay that is not whole seconds, read back from the kernel
		// (the lessons say only what was read here, never what some Node version is said to do).
		const idleAfter = (ms: number) => {
			socket.setKeepAlive(true, ms);
			return getsockoptInt(fd, SOL_TCP, TCP_KEEPIDLE);
		};
		const idleAfter500ms = idleAfter(500);
		const idleAfter1500ms = idleAfter(1500);
		socket.setKeepAlive(true, params.idle * 1000);
		// What Node alone leaves behind: libuv sets TCP_KEEPINTVL and TCP_KEEPCNT too.
		const nodeDefaults = {intvl: getKeepAliveInterval(socket) / 1000, probes: getKeepAliveProbes(socket), idleAfter500ms, idleAfter1500ms};
		setKeepAliveInterval(socket, params.intvl * 1000);
		setKeepAliveProbes(socket, params.probes);
		onMessage({
			ev: 'sockopt',
			keepalive: getsockoptInt(fd, SOL_SOCKET, SO_KEEPALIVE) !== 0,
			idle: getsockoptInt(fd, SOL_TCP, TCP_KEEPIDLE),
			intvl: getsockoptInt(fd, SOL_TCP, TCP_KEEPINTVL),
			probes: getsockoptInt(fd, SOL_TCP, TCP_KEEPCNT),
			nodeDefaults,
		});
		reportSocket(socket, onMessage);
	});
	const listening = new Promise<void>((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			reject(new Error(`the server cannot listen on 127.0.0.1:${port}: ${error.code ?? error.message}`));
		});
		server.listen(port, '127.0.0.1', resolve);
	});
	return {
		listening,
		close() {
			server.close();
			connection?.destroy();
		},
	};
}
