// Inside a fresh network namespace: the article's experiment in small. A server with
// keepalive idle 1 s / intvl 1 s / 3 probes, a client, the drop of the client's packets
// switched on with dist/lab/agent/firewall.js; the capture sees the client's answers, the
// rule's own counter counts them, the server's socket fails, the drop is taken away.
// Options (JSON in argv[2]): {force: 'auto' | 'iptables' | 'nft', detectOnly?: true}
// With detectOnly it only reports detectFirewall's answer or error (for runs where no
// tool can work, e.g. an unprivileged user outside any namespace).
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {connectPair, decode, deadline, dist, loUp, sleep, tool, waitUntil} from './common.mjs';

const options = JSON.parse(process.argv[2] ?? '{}');
const port = 40526;
deadline(30_000);
if (!options.detectOnly) loUp();

const firewall = await import(new URL('lab/agent/firewall.js', dist).href);
const {startCapture} = await import(new URL('lab/agent/capture.js', dist).href);
const {readKernelSync} = await import(new URL('lab/agent/proc-tcp.js', dist).href);

const result = {uidMap: readFileSync('/proc/self/uid_map', 'utf8').trim(), frames: [], kernel: []};
if (options.detectOnly) {
	try {
		result.tool = await firewall.detectFirewall(options.force ?? 'auto');
	} catch (error) {
		result.detectError = error.message;
	}

	console.log(JSON.stringify(result));
	process.exit(0);
}

result.tool = await firewall.detectFirewall(options.force ?? 'auto');

let dropAt = Infinity;
const capture = await startCapture((frame, tsMicros) => {
	const segment = decode(frame);
	if (segment && (segment.srcPort === port || segment.dstPort === port)) {
		result.frames.push({tsMicros, afterDrop: tsMicros / 1000 >= dropAt, ...segment});
	}
});

const {client, events} = await connectPair(port, {idle: 1, intvl: 1, probes: 3});
const clientPort = client.localPort;
result.clientPort = clientPort;
// The handshake's last ACK is captured before the count is read.
await waitUntil(() => result.frames.some((frame) => frame.srcPort === clientPort && frame.flags.join() === 'ACK'), 2000, 'the handshake');

result.countBefore = await firewall.droppedCount(result.tool, clientPort);
dropAt = Date.now();
result.dropCommand = await firewall.dropOn(result.tool, clientPort);
result.rulesWhileDropping = rules(result.tool);

// Probes at about 1, 2, 3 s after the last ACK, the reset at about 4 s: wait for the
// server's socket to fail, at most 8 s, reading the kernel's state meanwhile.
const until = Date.now() + 8000;
while (Date.now() < until && !events.some((event) => event.side === 'server')) {
	result.kernel.push(...readKernelSync(port).map((reading) => ({at: Date.now(), ...reading})));
	await sleep(100);
}

// The server's RST reaches the client too; after it, nothing more is sent.
await waitUntil(() => events.some((event) => event.side === 'client'), 2000, "the client's reset");
result.events = events;
result.countWhileOn = await firewall.droppedCount(result.tool, clientPort);
result.allowCommand = await firewall.dropOff(result.tool, clientPort);
result.countAfterOff = await firewall.droppedCount(result.tool, clientPort);
result.rulesAfterOff = rules(result.tool);
try {
	await firewall.dropOff(result.tool, clientPort);
} catch (error) {
	result.secondOffError = error.message;
}

await capture.stop();
console.log(JSON.stringify(result));
process.exit(0);

function rules(tool_) {
	return tool_ === 'iptables'
		? execFileSync(tool('iptables'), ['-S', 'INPUT'], {encoding: 'utf8'})
		: execFileSync(tool('nft'), ['list', 'ruleset'], {encoding: 'utf8'});
}
