/**
 * The lab's client, a process of its own (so that a lesson can freeze it with
 * SIGSTOP while the agent runs on): it connects when the agent writes a line to
 * its stdin (so that it can start while the capture is being armed), keeps
 * keepalive off, and reports how its socket ends.
 */
import net from 'node:net';
import {dieWithParent} from '../shared/libc.js';
import {reportSocket, send} from '../shared/peer-message.js';

dieWithParent();
const port = Number(process.argv[2]);

process.stdin.once('data', () => {
	process.stdin.pause();
	const socket = net.connect({port, host: '127.0.0.1'}, () => reportSocket(socket, send, () => process.exit(0)));
	// Until connected, a failure (say ECONNREFUSED) ends the client; reportSocket takes over after.
	socket.once('error', (error: NodeJS.ErrnoException) => {
		if (!socket.connecting) return;
		send({ev: 'fatal', message: `the client cannot connect to 127.0.0.1:${port}: ${error.code ?? error.message}`});
		process.exit(1);
	});
});
send({ev: 'listening'});
