// Inside a fresh network namespace: capture a short keepalive conversation on lo with
// dist/lab/agent/capture.js and print what was seen. Options (JSON in argv[2]):
//   tcpdump: also run tcpdump on lo and report its timestamps of the same frames
//   expectFailure: only try to open the capture and report the error (run outside a namespace)
import {spawn} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import {connectPair, decode, deadline, dist, loUp, sleep, tool, waitUntil} from './common.mjs';

const options = JSON.parse(process.argv[2] ?? '{}');
const port = 40526;
let tcpdump;
deadline(30_000, () => tcpdump?.kill('SIGKILL'));
const {startCapture} = await import(new URL('lab/agent/capture.js', dist).href);
const result = {frames: [], uidMap: readFileSync('/proc/self/uid_map', 'utf8').trim()};
if (options.expectFailure) {
	try {
		const capture = await startCapture(() => {});
		await capture.stop();
		result.started = true;
	} catch (error) {
		result.startError = error.message;
	}

	// Give a failed open time to crash the process, if it were going to.
	await sleep(300);
	console.log(JSON.stringify(result));
	process.exit(0);
}

loUp();

if (options.tcpdump) {
	result.pcapFile = `/tmp/ka-capture-test-${process.pid}.pcap`;
	tcpdump = spawn(tool('tcpdump'), ['-i', 'lo', '-n', '-U', '--time-stamp-precision=micro', '-w', result.pcapFile, 'tcp'], {
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	await new Promise((resolve, reject) => {
		let text = '';
		tcpdump.stderr.on('data', (chunk) => {
			text += chunk;
			if (text.includes('listening on')) resolve();
		});
		tcpdump.on('exit', (code) => reject(new Error(`tcpdump exited ${code}: ${text}`)));
		setTimeout(() => reject(new Error(`tcpdump did not start: ${text}`)), 5000);
	});
}

const wallBeforeStart = Date.now();
const capture = await startCapture((frame, tsMicros) => {
	result.frames.push({tsMicros, receivedAt: Date.now(), length: frame.length, hex: Buffer.from(frame).toString('hex'), ...decode(frame)});
});
result.startMs = Date.now() - wallBeforeStart;

result.wallStart = Date.now();
const {client, server, events} = await connectPair(port, {idle: 1, intvl: 1, probes: 3});
result.clientPort = client.localPort;
// One data exchange, then idle until two keepalive probes have been answered (about 2 s).
const synAckSeq = () => result.frames.find((frame) => frame.flags?.join() === 'SYN,ACK')?.seq;
const answers = () =>
	result.frames.filter((frame, i) => {
		const probe = result.frames[i - 1];
		return frame.srcPort === result.clientPort && frame.len === 0 && probe?.srcPort === port && probe.flags?.join() === 'ACK' && probe.len === 0 && probe.seq === synAckSeq();
	}).length;
client.write('hello');
await waitUntil(() => answers() >= 2, 5000, 'two answered keepalive probes');
client.end();
server.end();
// The close is done when each side's FIN has been ACKed: two FINs, then a last bare ACK.
await waitUntil(() => result.frames.filter((frame) => frame.flags?.includes('FIN')).length === 2 && result.frames.at(-1)?.flags?.join() === 'ACK', 2000, 'the close');
result.wallEnd = Date.now();
result.events = events;

const stopAt = performance.now();
await capture.stop();
result.stopMs = performance.now() - stopAt;
result.framesCounted = capture.frames;
result.unstamped = capture.unstamped;
// Nothing may arrive after stop() resolved: absence can only be watched for a while.
const framesAtStop = result.frames.length;
await sleep(300);
result.framesAfterStop = result.frames.length - framesAtStop;

if (tcpdump) {
	// tcpdump -U writes each packet as it goes: stop it once it has written all we saw.
	const pcapFrames = () => {
		try {
			return readPcap(readFileSync(result.pcapFile)).length;
		} catch {
			return 0;
		}
	};
	await waitUntil(() => pcapFrames() >= result.frames.length, 2000, 'tcpdump to write every frame');
	tcpdump.kill('SIGINT');
	await new Promise((resolve) => tcpdump.once('exit', resolve));
	result.tcpdump = readPcap(readFileSync(result.pcapFile));
	rmSync(result.pcapFile, {force: true});
}

console.log(JSON.stringify(result));
process.exit(0);

/** Classic pcap (microsecond, little-endian as tcpdump writes it here). */
function readPcap(buffer) {
	const frames = [];
	if (buffer.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('not a little-endian microsecond pcap');
	let offset = 24;
	while (offset + 16 <= buffer.length) {
		const sec = buffer.readUInt32LE(offset);
		const usec = buffer.readUInt32LE(offset + 4);
		const caplen = buffer.readUInt32LE(offset + 8);
		const frame = buffer.subarray(offset + 16, offset + 16 + caplen);
		frames.push({tsMicros: sec * 1e6 + usec, hex: frame.toString('hex')});
		offset += 16 + caplen;
	}

	return frames;
}
