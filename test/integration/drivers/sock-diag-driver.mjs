// Inside a fresh network namespace: read the lab's two sockets with dist/lab/agent/sock-diag.js
// while keepalive runs, next to /proc/self/net/tcp, then time the reads.
// A server on 127.0.0.1 with keepalive idle 2 s / intvl 1 s (socket.setKeepAlive(true, 2000)
// and net-keepalive), a client that sends nothing. Probes go out at about 2 s and 4 s; the
// timer fires in between (at about 3 s), finds the peer heard from 1 s ago and re-arms.
// Options (JSON in argv[2]): {sampleMs?: how long to sample (default 4600), reads?: reads per timing (default 1000)}
import {readdirSync, readFileSync} from 'node:fs';
import {connectPair, deadline, dist, loUp, sleep} from './common.mjs';

const options = JSON.parse(process.argv[2] ?? '{}');
const port = 40527;
const sampleMs = options.sampleMs ?? 4600;
const reads = options.reads ?? 1000;
deadline(40_000);
loUp();

const {readSockDiag, closeSockDiag} = await import(new URL('lab/agent/sock-diag.js', dist).href);
const {parseProcNetTcp, readKernelSync} = await import(new URL('lab/agent/proc-tcp.js', dist).href);

const result = {uidMap: readFileSync('/proc/self/uid_map', 'utf8').trim(), samples: [], fds: {}};
const fds = () => readdirSync('/proc/self/fd').length;

const {client, server} = await connectPair(port, {idle: 2, intvl: 1, probes: 5});
const t0 = performance.now();
result.clientPort = client.localPort;
result.fds.before = fds();

const bySide = (readings) => Object.fromEntries(readings.map((reading) => [reading.side, reading]));

// Sample every ~40 ms: sock_diag, then /proc, then sock_diag again (the /proc read itself
// takes milliseconds, so the two sock_diag reads bracket the moment /proc looked).
while (performance.now() - t0 < sampleMs) {
	const t = performance.now() - t0;
	const before = bySide(readSockDiag(port));
	const proc = bySide(parseProcNetTcp(readFileSync('/proc/self/net/tcp', 'utf8'), port));
	const after = bySide(readSockDiag(port));
	result.samples.push({t, before, proc, after});
	await sleep(40);
}

// Costs: median and 90th percentile of single reads, in microseconds.
function time(n, read) {
	for (let i = 0; i < Math.min(100, n); i++) read();
	const micros = [];
	for (let i = 0; i < n; i++) {
		const start = process.hrtime.bigint();
		read();
		micros.push(Number(process.hrtime.bigint() - start) / 1000);
	}

	micros.sort((a, b) => a - b);
	return {n, median: micros[n >> 1], p90: micros[Math.floor(n * 0.9)], max: micros[n - 1]};
}

result.fds.whileOpen = fds();
closeSockDiag();
result.fds.afterSampling = fds();
result.costs = {
	// The default: the sockets of the last dump looked up one by one, a dump every second.
	lookup: time(reads, () => readSockDiag(port, {rescanMs: 60_000})),
	// A full dump of the namespace's TCP sockets on every read.
	dump: time(reads, () => readSockDiag(port, {rescanMs: 0})),
	// A new netlink socket for every read (and a dump, since a new socket tracks nothing).
	reopen: time(reads, () => {
		readSockDiag(port);
		closeSockDiag();
	}),
};
result.fds.afterTimings = fds();

// The /proc reader (proc-tcp.ts readKernelSync), for comparison.
const procMicros = [];
for (let i = 0; i < 50; i++) {
	const start = process.hrtime.bigint();
	readKernelSync(port);
	procMicros.push(Number(process.hrtime.bigint() - start) / 1000);
}

procMicros.sort((a, b) => a - b);
result.costs.proc = {n: procMicros.length, median: procMicros[procMicros.length >> 1]};

client.destroy();
server.destroy();
console.log(JSON.stringify(result));
process.exit(0);
