/**
 * Keepalive (and TCP_USER_TIMEOUT) on a connected socket, set the way a Node program
 * would and read back from the kernel: used by the server in the agent and by the client.
 */
import {createRequire} from 'node:module';
import type net from 'node:net';
import {getsockoptInt, SO_KEEPALIVE, SOL_SOCKET, SOL_TCP, TCP_KEEPCNT, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_USER_TIMEOUT} from './libc.js';
import type {KeepaliveParams} from './params.js';
import type {PeerMessage} from './peer-message.js';

// net-keepalive is CommonJS; through require it costs 0.5 MiB, through import about 5 MiB
// more in each process that loads it (Node 20's ESM loader wrapping it; measured with VmRSS).
const {getKeepAliveInterval, getKeepAliveProbes, setKeepAliveInterval, setKeepAliveProbes, setUserTimeout} = createRequire(import.meta.url)(
	'net-keepalive',
) as typeof import('net-keepalive');

function socketFd(socket: net.Socket): number {
	return (socket as unknown as {_handle: {fd: number}})._handle.fd;
}

export type SocketOptions = {
	params: KeepaliveParams;
	/** Keepalive on; off leaves SO_KEEPALIVE as Node leaves it (off) and only reads the values back. */
	keepalive: boolean;
	/** TCP_USER_TIMEOUT in ms; undefined: not set, not reported. */
	userTimeout?: number;
};

/** Sets the options and returns what the kernel reads back, as the peer's sockopt report. */
export function applySocketOptions(socket: net.Socket, {params, keepalive, userTimeout}: SocketOptions): Extract<PeerMessage, {ev: 'sockopt'}> {
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
	// Off after the reads above: the values still sit in the socket and are read back below.
	if (!keepalive) socket.setKeepAlive(false);
	if (userTimeout !== undefined) setUserTimeout(socket, userTimeout);
	return {
		ev: 'sockopt',
		keepalive: getsockoptInt(fd, SOL_SOCKET, SO_KEEPALIVE) !== 0,
		idle: getsockoptInt(fd, SOL_TCP, TCP_KEEPIDLE),
		intvl: getsockoptInt(fd, SOL_TCP, TCP_KEEPINTVL),
		probes: getsockoptInt(fd, SOL_TCP, TCP_KEEPCNT),
		nodeDefaults,
		...(userTimeout === undefined ? {} : {userTimeout: getsockoptInt(fd, SOL_TCP, TCP_USER_TIMEOUT)}),
	};
}
