// The floor for the lab's start-up, run by bench/lab.js inside the same kind of namespace:
// one Node process that loads net-keepalive, brings up lo, listens and connects a client
// to its own server. It prints "connected" once the client's connect completes.
import {execFileSync} from 'node:child_process';
import net from 'node:net';
import keepalive from 'net-keepalive';

execFileSync('ip', ['link', 'set', 'lo', 'up']);
const server = net.createServer(socket => {
	socket.setKeepAlive(true, 55_000);
	keepalive.setKeepAliveInterval(socket, 6000);
	keepalive.setKeepAliveProbes(socket, 2);
});
server.listen(6699, '127.0.0.1', () => {
	const client = net.connect(6699, '127.0.0.1', () => {
		process.stdout.write('connected\n');
		client.destroy();
		server.close();
	});
});
