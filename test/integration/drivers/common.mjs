// Helpers shared by the integration drivers. Each driver runs inside a fresh network
// namespace (started by the test through unshare), prints one JSON object on its last
// stdout line and exits; every wait in it is bounded.
import {execFileSync} from 'node:child_process';
import {accessSync, constants} from 'node:fs';
import net from 'node:net';

export const dist = new URL('../../../dist/', import.meta.url);

/** The path of an sbin tool even when PATH leaves /usr/sbin out (a normal user's PATH on Debian). */
export function tool(name) {
	for (const dir of [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/sbin', '/sbin']) {
		try {
			accessSync(`${dir}/${name}`, constants.X_OK);
			return `${dir}/${name}`;
		} catch {}
	}

	throw new Error(`${name} not found`);
}

export function loUp() {
	execFileSync(tool('ip'), ['link', 'set', 'lo', 'up']);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 20 ms until it holds; throws after `ms` saying what was awaited. */
export async function waitUntil(condition, ms, what) {
	const end = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
		await sleep(20);
	}
}

/** Ends the driver after `ms` whatever happens, so that a hung driver cannot outlive its test. */
export function deadline(ms, cleanup = () => {}) {
	const timer = setTimeout(() => {
		try {
			cleanup();
		} finally {
			console.log(JSON.stringify({error: `driver deadline of ${ms} ms passed`}));
			process.exit(3);
		}
	}, ms);
	timer.unref();
}

/** Minimal Ethernet/IPv4/TCP decoding, enough to tell the lab's segments apart. */
export function decode(frame) {
	const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
	if (frame.length < 14 + 20 || view.getUint16(12) !== 0x0800) return undefined;
	const ip = 14;
	const ihl = (frame[ip] & 0x0f) * 4;
	const totalLength = view.getUint16(ip + 2);
	if (frame[ip + 9] !== 6) return undefined;
	const tcp = ip + ihl;
	const dataOffset = (frame[tcp + 12] >> 4) * 4;
	const bits = frame[tcp + 13];
	const flags = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'].filter((_, i) => bits & (1 << i));
	return {
		srcPort: view.getUint16(tcp),
		dstPort: view.getUint16(tcp + 2),
		seq: view.getUint32(tcp + 4),
		ack: view.getUint32(tcp + 8),
		flags,
		len: totalLength - ihl - dataOffset,
	};
}

/**
 * A server on 127.0.0.1:port and a client connected to it; the server's socket has
 * keepalive with the given idle / intvl (seconds) / probes, set with net-keepalive.
 */
export async function connectPair(port, ka) {
	const {default: keepalive} = await import('net-keepalive');
	const events = [];
	let serverSocket;
	const accepted = new Promise((resolve) => {
		const server = net.createServer((socket) => {
			serverSocket = socket;
			socket.setKeepAlive(true, ka.idle * 1000);
			keepalive.setKeepAliveInterval(socket, ka.intvl * 1000);
			keepalive.setKeepAliveProbes(socket, ka.probes);
			socket.on('error', (error) => events.push({side: 'server', error: error.code, at: Date.now()}));
			socket.on('data', () => {});
			socket.on('close', () => server.close());
			resolve(socket);
		});
		server.listen(port, '127.0.0.1');
	});
	await new Promise((resolve) => setTimeout(resolve, 20));
	const client = net.connect(port, '127.0.0.1');
	client.on('error', (error) => events.push({side: 'client', error: error.code, at: Date.now()}));
	client.on('data', () => {});
	await new Promise((resolve, reject) => {
		client.once('connect', resolve);
		client.once('error', reject);
	});
	await accepted;
	return {client, server: serverSocket, events};
}
