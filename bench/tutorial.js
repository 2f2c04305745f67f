// Benchmarks of the tutorial (issue: npx ka-tutorial). Run after `npm run build`.
// Medians of RUNS runs: time from start to the first frame against a minimal Ink program
// in the same terminal size; CPU while lesson 5 waits for a 55 s probe; RSS. CYCLE=1 also
// sits through to the first probe: CPU once settled (20-40 s after the handshake, the
// countdowns in whole seconds), in the last 10 s before the probe (tenths, 10 frames a
// second), over the whole wait (1 s after the handshake to just before the probe), and RSS after it.
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {cliPath, commandOf, cpuSeconds, median, rssMiB, sleep, tree, waitFor} from './lib.js';

const runs = Number(process.env.RUNS ?? 10);
const cpuWindowMs = Number(process.env.CPU_WINDOW_MS ?? 5000);
const cycle = process.env.CYCLE === '1';
const cli = cliPath;
const hello = fileURLToPath(new URL('hello.js', import.meta.url));

// The runs keep their progress apart from any learner's (the real ~/.config is never touched).
const configDir = mkdtempSync(path.join(tmpdir(), 'ka-bench-config-'));
process.env.KA_TUTORIAL_CONFIG_DIR = configDir;

/** Every terminal still open: a wait that times out ends the benchmark, and must not leave them running. */
const open = new Set();
process.on('exit', () => {
	rmSync(configDir, {recursive: true, force: true});
	// The tutorial gets a hangup when its terminal goes, and stops its lab.
	for (const child of open) child.kill('SIGTERM');
});

/** Runs a command in a pseudo-terminal of 100×30 (util-linux `script`) and collects what it draws. */
function inTerminal(command) {
	const started = performance.now();
	const child = spawn('script', ['-qfec', `stty cols 100 rows 30; exec ${command}`, '/dev/null'], {stdio: ['pipe', 'pipe', 'inherit']});
	open.add(child);
	child.once('close', () => open.delete(child));
	const screen = {text: ''};
	child.stdout.on('data', chunk => {
		screen.text += chunk;
	});
	const exit = new Promise(resolve => child.once('close', resolve));
	return {child, started, screen, exit};
}

async function firstFrame(command, marker) {
	const run = inTerminal(command);
	await waitFor(() => run.screen.text.includes(marker), 10_000, marker);
	const ms = performance.now() - run.started;
	return {run, ms};
}

const helloMs = [];
const tutorialMs = [];
const cpu = [];
const rss = [];
const settled = [];
const tenths = [];
const tenthsDrawn = [];
const wholeWait = [];
const rssLater = [];
/** CPU of `pids` from `fromMs` to `toMs` after `since`, in % of a core. */
async function cpuBetween(pids, since, fromMs, toMs) {
	await sleep(since + fromMs - performance.now());
	const before = cpuSeconds(pids);
	await sleep(toMs - fromMs);
	return ((cpuSeconds(pids) - before) / ((toMs - fromMs) / 1000)) * 100;
}

/** Each process's share of a window's CPU, by command name (`script`, the benchmark's terminal, apart). */
const byProcess = new Map();
function addShares(pids, before, seconds) {
	for (const pid of pids) {
		const share = ((cpuSeconds([pid]) - before.get(pid)) / seconds) * 100;
		const name = commandOf(pid).split(' ').slice(0, 2).join(' ');
		byProcess.set(name, [...(byProcess.get(name) ?? []), share]);
	}
}

for (let i = 0; i < runs; i++) {
	const baseline = await firstFrame(`${process.execPath} ${hello}`, 'Hello from Ink');
	helloMs.push(baseline.ms);
	await baseline.run.exit;

	// As npx starts the bin: the program itself, its shell lines first (scripts/bundle.js).
	const tutorial = await firstFrame(`${cli} --lang en --preset article --lesson 5`, 'Watching');
	tutorialMs.push(tutorial.ms);
	// Sit in lesson 5 while the kernel counts down to the first 55 s probe.
	await waitFor(() => tutorial.run.screen.text.includes('fires in'), 10_000, 'the kernel timer row');
	// About when the handshake was: the timer row appears with the first reading after it.
	const handshake = performance.now();
	await sleep(1000);
	const pids = tree(tutorial.run.child.pid);
	// The terminal (`script`) is the benchmark's, not the tutorial's: its share is shown apart.
	const started = pids.slice(1);
	const before = new Map(pids.map(pid => [pid, cpuSeconds([pid])]));
	const windowStart = performance.now();
	await sleep(cpuWindowMs);
	cpu.push(((cpuSeconds(started) - started.reduce((sum, pid) => sum + before.get(pid), 0)) / (cpuWindowMs / 1000)) * 100);
	addShares(pids, before, cpuWindowMs / 1000);
	rss.push(rssMiB(pids.slice(1)).reduce((a, b) => a + b, 0)); // without `script` itself
	if (cycle) {
		settled.push(await cpuBetween(started, handshake, 20_000, 40_000));
		await sleep(handshake + 45_500 - performance.now());
		const drawnBefore = tutorial.run.screen.text.length;
		tenths.push(await cpuBetween(started, handshake, 45_500, 54_500));
		// What reached the terminal in those 9 s (Ink's frames), in KiB/s.
		tenthsDrawn.push((tutorial.run.screen.text.length - drawnBefore) / 1024 / 9);
		// From the first window's start (1 s after the handshake) to the end of the tenths.
		const waitedFrom = started.reduce((sum, pid) => sum + before.get(pid), 0);
		wholeWait.push(((cpuSeconds(started) - waitedFrom) / ((handshake + 54_500 - windowStart) / 1000)) * 100);
		await sleep(handshake + 57_000 - performance.now());
		rssLater.push(rssMiB(pids.slice(1)).reduce((a, b) => a + b, 0));
	}

	tutorial.run.child.stdin.write('q');
	await tutorial.run.exit;
}

const ratio = median(tutorialMs) / median(helloMs);
console.log(`first frame: tutorial median ${median(tutorialMs).toFixed(0)} ms, Ink hello world median ${median(helloMs).toFixed(0)} ms, ratio ${ratio.toFixed(2)}`);
console.log(`  tutorial [${tutorialMs.map(v => v.toFixed(0)).join(' ')}]  hello [${helloMs.map(v => v.toFixed(0)).join(' ')}]`);
console.log(`CPU in lesson 5 waiting for a 55 s probe (${cpuWindowMs / 1000} s windows, 1 s after the handshake, everything the tutorial started): median ${median(cpu).toFixed(2)} % of a core  [${cpu.map(v => v.toFixed(2)).join(' ')}]`);
console.log(`  by process: ${[...byProcess].map(([name, shares]) => `${name} ${median(shares).toFixed(2)} %`).join(', ')}`);
console.log(`RSS (tutorial + lab processes): median ${median(rss).toFixed(1)} MiB`);
if (cycle) {
	const list = values => values.map(v => v.toFixed(2)).join(' ');
	console.log(`CPU settled, 20-40 s after the handshake: median ${median(settled).toFixed(2)} %  [${list(settled)}]`);
	console.log(`CPU in the last 10 s before the 55 s probe (tenths on screen): median ${median(tenths).toFixed(2)} %  [${list(tenths)}]`);
	console.log(`  written to the terminal meanwhile: median ${median(tenthsDrawn).toFixed(1)} KiB/s  [${list(tenthsDrawn)}]`);
	console.log(`CPU over the whole wait, 1 s after the handshake to the probe: median ${median(wholeWait).toFixed(2)} %  [${list(wholeWait)}]`);
	console.log(`RSS after the first probe: median ${median(rssLater).toFixed(1)} MiB`);
}
