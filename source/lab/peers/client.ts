/**
 * The lab's client, a process of its own (so that a lesson can freeze it with
 * SIGSTOP while the agent runs on). It takes commands on its stdin, one JSON line each
 * (ClientCommand): `connect` (sent once the capture is armed), then `send` to write a
 * line. Keepalive is off unless the scenario turns it on; with `answers`, its application
 * replies to every line it reads. It reports its socket and what its application did.
 */
import net from 'node:net';
import {createInterface} from 'node:readline';
import {deathSignalVariable, exitIfOrphaned} from '../shared/parent-pid.js';
import {type ClientCommand, type ClientConfig, nowMs, reportSocket, send, writeLine} from '../shared/peer-message.js';

// Started through setpriv, the parent-death signal is already armed; else it is asked for
// here, through libc (ffi-rs, loaded only then).
if (process.env[deathSignalVariable] === 'KILL') exitIfOrphaned();
else (await import('../shared/libc.js')).dieWithParent();
const port = Number(process.argv[2]);
const config = JSON.parse(process.argv[3]!) as ClientConfig;
let socket: net.Socket | undefined;

const host = config.host ?? '127.0.0.1';

function connect(): void {
	const connection = net.connect({port, host}, async () => {
		if (config.keepalive) {
			// Loaded only when needed: the client starts first, and fast.
			const {applySocketOptions} = await import('../shared/keepalive-sockopt.js');
			send(applySocketOptions(connection, {params: config.keepalive, keepalive: true}));
		}

		reportSocket(connection, send, () => process.exit(0), line => {
			if (config.answers) writeLine(connection, `re: ${line}`, send);
		});
	});
	socket = connection;
	// Until connected, a failure (say ECONNREFUSED) ends the client; reportSocket takes over after.
	connection.once('error', (error: NodeJS.ErrnoException) => {
		if (!connection.connecting) return;
		send({ev: 'fatal', message: `the client cannot connect to ${host}:${port}: ${error.code ?? error.message}`});
		process.exit(1);
	});
}

createInterface({input: process.stdin}).on('line', line => {
	const command = JSON.parse(line) as ClientCommand;
	if (command.cmd === 'connect') connect();
	else if (socket && !socket.connecting) writeLine(socket, command.text, send);
	else send({ev: 'write-error', at: nowMs(), code: 'ENOTCONN'});
});
send({ev: 'listening'});
