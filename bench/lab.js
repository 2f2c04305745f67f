// Benchmarks of the lab engine (issue: the live keepalive lab). Run after `npm run build`, as root for the tcpdump part.
// Prints medians of RUNS runs: time to ready, CPU while waiting for a 55 s probe, RSS and PSS, and our timestamps against tcpdump's.
// KA_BENCH_DIST=DIR benchmarks a build elsewhere (bench/lib.js); TCPDUMP=0 leaves out the comparison with tcpdump.
import {execFileSync, spawn} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {cliPath, commandOf, cpuSeconds, median, pssMiB, rssMiB, sleep, tree, waitFor} from './lib.js';

const runs = Number(process.env.RUNS ?? 10);
const cpuWindowMs = Number(process.env.CPU_WINDOW_MS ?? 5000);
const cli = cliPath;

function startLab(args) {
	const started = performance.now();
	// As npx starts the bin: the program itself, its shell lines first (scripts/bundle.js).
	const child = spawn(cli, ['lab', '--json', ...args], {stdio: ['ignore', 'pipe', 'inherit']});
	const events = [];
	let buffer = '';
	child.stdout.on('data', chunk => {
		buffer += chunk;
		const lines = buffer.split('\n');
		buffer = lines.pop();
		for (const line of lines) events.push({at: performance.now(), event: JSON.parse(line)});
	});
	const exit = new Promise(resolve => child.once('close', resolve));
	return {child, started, events, exit};
}

const connected = e => e.event.type === 'socket' && e.event.side === 'client' && e.event.event === 'connected';

/** The floor: unshare (the lab's own sandbox kind) + one Node process that loads net-keepalive and connects a client to a server. */
async function floorMs() {
	const floor = fileURLToPath(new URL('floor-lab.js', import.meta.url));
	const sandbox = process.getuid() === 0 ? ['--net'] : ['--user', '--map-root-user', '--net'];
	const started = performance.now();
	const child = spawn('unshare', [...sandbox, process.execPath, floor], {stdio: ['ignore', 'pipe', 'inherit'], env: {...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin`}});
	let out = '';
	let at;
	child.stdout.on('data', chunk => {
		out += chunk;
		if (at === undefined && out.includes('connected')) at = performance.now();
	});
	await new Promise(resolve => child.once('close', resolve));
	if (at === undefined) throw new Error('the floor process did not connect');
	return at - started;
}

async function readyAndIdle() {
	const ready = [];
	const cpu = [];
	const floor = [];
	/** Per process (ka-tutorial.js, agent.js, client.js …): its RSS and PSS of each run. */
	const memory = new Map();
	for (let i = 0; i < runs; i++) {
		// Floor and lab alternate, so that both see the same machine.
		floor.push(await floorMs());
		const run = startLab(['--preset', 'article']);
		await waitFor(() => run.events.some(connected), 10_000, 'the client to connect');
		ready.push(run.events.find(connected).at - run.started);
		await sleep(500); // past the start-up's own work
		const pids = tree(run.child.pid);
		const before = cpuSeconds(pids);
		await sleep(cpuWindowMs);
		cpu.push(((cpuSeconds(pids) - before) / (cpuWindowMs / 1000)) * 100);
		const rss = rssMiB(pids);
		const pss = pssMiB(pids);
		pids.forEach((pid, k) => {
			const name = commandOf(pid).split(' ').find(word => word.endsWith('.js')) ?? commandOf(pid).split(' ')[0];
			const runs = memory.get(name) ?? {rss: [], pss: []};
			runs.rss.push(rss[k]);
			runs.pss.push(pss[k]);
			memory.set(name, runs);
		});
		run.child.kill('SIGTERM');
		await run.exit;
	}

	console.log(`lab ready (command start → client connected, capture armed): median ${median(ready).toFixed(0)} ms  [${ready.map(v => v.toFixed(0)).join(' ')}]`);
	console.log(`floor (unshare + one Node with net-keepalive connecting a client to a server): median ${median(floor).toFixed(0)} ms  [${floor.map(v => v.toFixed(0)).join(' ')}]; lab / floor ${(median(ready) / median(floor)).toFixed(2)}`);
	console.log(`CPU while waiting for a 55 s probe (${cpuWindowMs / 1000} s windows, all lab processes): median ${median(cpu).toFixed(2)} % of a core  [${cpu.map(v => v.toFixed(2)).join(' ')}]`);
	const sum = (names, key) => names.reduce((total, name) => total + median(memory.get(name)[key]), 0);
	const all = [...memory.keys()];
	const engine = all.filter(name => name !== path.basename(cliPath));
	const each = all.map(name => `${name} ${median(memory.get(name).rss).toFixed(1)} / ${median(memory.get(name).pss).toFixed(1)}`).join(', ');
	console.log(`memory, medians, RSS / PSS in MiB: all ${sum(all, 'rss').toFixed(1)} / ${sum(all, 'pss').toFixed(1)}; agent and peers ${sum(engine, 'rss').toFixed(1)} / ${sum(engine, 'pss').toFixed(1)}  (${each})`);
}

/** Reads a classic pcap: [{tsMicros, frame}]. */
function readPcap(file) {
	const bytes = readFileSync(file);
	const records = [];
	for (let offset = 24; offset + 16 <= bytes.length; ) {
		const seconds = bytes.readUInt32LE(offset);
		const micros = bytes.readUInt32LE(offset + 4);
		const length = bytes.readUInt32LE(offset + 8);
		records.push({tsMicros: seconds * 1e6 + micros, frame: bytes.subarray(offset + 16, offset + 16 + length)});
		offset += 16 + length;
	}

	return records;
}

// A frame's identity: the IP and TCP headers (ports, seq, ack, flags), which differ for every segment of a run.
const key = frame => frame.subarray(14 + 12, 14 + 20 + 14).toString('hex');

async function againstTcpdump() {
	if (process.getuid() !== 0) {
		console.log('timestamps against tcpdump: skipped (needs root to run tcpdump in the namespace)');
		return;
	}

	const work = mkdtempSync(path.join(tmpdir(), 'ka-bench-'));
	const diffs = [];
	for (let i = 0; i < runs; i++) {
		const ours = path.join(work, `ours-${i}.pcap`);
		const theirs = path.join(work, `tcpdump-${i}.pcap`);
		const run = startLab(['--idle', '2', '--intvl', '1', '--probes', '2', '--pcap', ours]);
		await waitFor(() => run.events.some(connected), 10_000, 'the client to connect');
		// The agent's process, or, where the agent runs in the lab's own (as root), the lab's main thread.
		const agent = tree(run.child.pid).find(pid => commandOf(pid).includes('agent.js')) ?? run.child.pid;
		const tcpdump = spawn('nsenter', [`--net=/proc/${agent}/ns/net`, 'tcpdump', '-i', 'lo', '-n', '--immediate-mode', '-U', '--time-stamp-precision=micro', '-w', theirs, 'tcp port 6699'], {stdio: 'ignore'});
		await run.exit;
		await sleep(100);
		tcpdump.kill('SIGINT');
		await new Promise(resolve => tcpdump.once('close', resolve));
		// tcpdump starts after the handshake; both captures end with the RST, so align them from the end.
		// Probes repeat the same headers, so frames are matched by position, and checked to be alike.
		const theirFrames = readPcap(theirs);
		const ourFrames = readPcap(ours).slice(-theirFrames.length);
		ourFrames.forEach((record, index) => {
			const other = theirFrames[index];
			if (key(record.frame) !== key(other.frame)) throw new Error(`run ${i}: frame ${index} differs from tcpdump's`);
			const flags = record.frame[14 + 20 + 13];
			if (flags === 0x10) diffs.push(Math.abs(record.tsMicros - other.tsMicros) / 1000);
		});
	}

	console.log(`probe timestamps, ours vs tcpdump in the same namespace (${diffs.length} frames): median |Δ| ${median(diffs).toFixed(3)} ms, max ${Math.max(...diffs).toFixed(3)} ms`);
	execFileSync('rm', ['-rf', work]);
}

await readyAndIdle();
if (process.env.TCPDUMP !== '0') await againstTcpdump();
