/**
 * The lab's client, a process of its own: it connects when the agent writes a
 * line to its stdin (so that it can start while the capture is being armed),
 * keeps keepalive off, and reports how its socket ends.
 */
import net from 'node:net';
import {dieWithParent} from '../libc.js';
import {nowMs, send} from './peer-message.js';

dieWithParent();
const port = Number(process.argv[2]);

process.stdin.once('data', () => {
	process.stdin.pause();
	const socket = net.connect({port, host: '127.0.0.1'}, () => {
		send({ev: 'connected', at: nowMs(), localPort: socket.localPort ?? 0, remotePort: socket.remotePort ?? 0});
	});
	socket.on('error', (error: NodeJS.ErrnoException) => send({ev: 'error', at: nowMs(), code: error.code ?? error.message}));
	socket.on('close', () => {
		send({ev: 'closed', at: nowMs()});
		process.exit(0);
	});
	socket.resume();
});
send({ev: 'listening'});
