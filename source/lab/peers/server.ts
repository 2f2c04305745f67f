/**
 * The lab's keepalive server, a process of its own like the article's C server:
 * it accepts one connection on 127.0.0.1:<port>, turns keepalive on with the
 * given idle / intvl / probes, reads them back from the kernel and then only waits.
 */
import net from 'node:net';
import {getKeepAliveInterval, getKeepAliveProbes, setKeepAliveInterval, setKeepAliveProbes} from 'net-keepalive';
import {dieWithParent, getsockoptInt, SO_KEEPALIVE, SOL_SOCKET, SOL_TCP, TCP_KEEPCNT, TCP_KEEPIDLE, TCP_KEEPINTVL} from '../shared/libc.js';
import {reportSocket, send} from '../shared/peer-message.js';

dieWithParent();
const [port, idle, intvl, probes] = process.argv.slice(2).map(Number) as [number, number, number, number];

function socketFd(socket: net.Socket): number {
	return (socket as unknown as {_handle: {fd: number}})._handle.fd;
}

const server = net.createServer({pauseOnConnect: false}, socket => {
	server.close(); // one connection is the whole experiment
	const fd = socketFd(socket);
	// What this Node does with a delay that is not whole seconds, read back from the kernel
	// (the lessons say only what was read here, never what some Node version is said to do).
	const idleAfter = (ms: number) => {
		socket.setKeepAlive(true, ms);
		return getsockoptInt(fd, SOL_TCP, TCP_KEEPIDLE);
	};
	const idleAfter500ms = idleAfter(500);
	const idleAfter1500ms = idleAfter(1500);
	socket.setKeepAlive(true, idle * 1000);
	// What Node alone leaves behind: libuv sets TCP_KEEPINTVL and TCP_KEEPCNT too.
	const nodeDefaults = {intvl: getKeepAliveInterval(socket) / 1000, probes: getKeepAliveProbes(socket), idleAfter500ms, idleAfter1500ms};
	setKeepAliveInterval(socket, intvl * 1000);
	setKeepAliveProbes(socket, probes);
	send({
		ev: 'sockopt',
		keepalive: getsockoptInt(fd, SOL_SOCKET, SO_KEEPALIVE) !== 0,
		idle: getsockoptInt(fd, SOL_TCP, TCP_KEEPIDLE),
		intvl: getsockoptInt(fd, SOL_TCP, TCP_KEEPINTVL),
		probes: getsockoptInt(fd, SOL_TCP, TCP_KEEPCNT),
		nodeDefaults,
	});
	reportSocket(socket);
});

server.on('error', (error: NodeJS.ErrnoException) => {
	send({ev: 'fatal', message: `server cannot listen on 127.0.0.1:${port}: ${error.code ?? error.message}`});
	process.exit(1);
});
server.listen(port, '127.0.0.1', () => send({ev: 'listening'}));
