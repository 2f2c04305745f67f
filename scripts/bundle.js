// The program as users start it (package.json's bin): tsc's modules, bundled by esbuild into
// dist/ka-tutorial.js and a chunk per part that loads on demand (the tutorial's screen, the
// headless lab, doctor, …). Node then opens ~50 files instead of ~650 modules, each resolved,
// read and, for React's CommonJS, lexed for its exports: the first frame comes ~0.4 s sooner and
// the process holds ~25 MiB less. The lab's own processes start from dist/agent.js (an ordinary
// user's agent: ~35 ms sooner than from its ~40 modules) and dist/client.js, sharing the chunks,
// so that the package ships the bundle alone; the tests also import tsc's modules.
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {build} from 'esbuild';

// Three of Ink's modules are replaced by ones that keep what did not change from one frame
// to the next: its Output, which rasterizes the whole screen for every frame, the
// widest-line its renderer measures every text with (why, and the proof they draw the
// same: source/ui/ink/output.ts, test/unit/ink-swaps.test.ts), and its log-update, which
// writes the whole frame to the terminal (source/ui/ink/log-update.ts, test/e2e/log-update.test.tsx).
const swaps = [
	{importer: 'renderer.js', path: './output.js', by: 'dist/ui/ink/output.js'},
	{importer: 'render-node-to-output.js', path: 'widest-line', by: 'dist/ui/ink/widest-line.js'},
	{importer: 'ink.js', path: './log-update.js', by: 'dist/ui/ink/log-update.js'},
];
const swapped = new Set();
const inkSwaps = {
	name: 'ink-swaps',
	setup(esbuild) {
		esbuild.onResolve({filter: /^(\.\/output\.js|widest-line|\.\/log-update\.js)$/}, ({path: wanted, importer}) => {
			const swap = swaps.find(s => s.path === wanted && importer.endsWith(path.join('node_modules', 'ink', 'build', s.importer)));
			if (!swap) return undefined;
			swapped.add(swap);
			return {path: path.resolve(swap.by)};
		});
	},
};

rmSync('dist/chunks', {recursive: true, force: true});
await build({
	entryPoints: {'ka-tutorial': 'dist/cli.js', agent: 'dist/lab/agent/agent.js', client: 'dist/lab/peers/client.js'},
	outdir: 'dist',
	chunkNames: 'chunks/[name]-[hash]',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	// Native addons load from node_modules; React's devtools only under DEV=true, and are not a dependency.
	external: ['ffi-rs', 'net-keepalive', 'react-devtools-core'],
	// React's development build costs about half the CPU of every redraw, and a tutorial is no
	// React debugging session: only the production build goes in.
	define: {'process.env.NODE_ENV': '"production"'},
	// For the CommonJS inside (React, Ink's helpers) that calls require().
	banner: {js: "import {createRequire as kaCreateRequire} from 'node:module'; const require = kaCreateRequire(import.meta.url);"},
	plugins: [inkSwaps],
	logLevel: 'warning',
});
// A new Ink that imports them elsewhere must not silently bring back the whole-screen redraw.
for (const swap of swaps) if (!swapped.has(swap)) throw new Error(`scripts/bundle.js: Ink's ${swap.importer} no longer imports ${swap.path}; see source/ui/ink/output.ts`);

/*
 * The bin's first lines are a shell script as well as JavaScript (to Node, each is a string and
 * a comment). Started as a program (npx, a global install), /bin/sh reads them first and, for an
 * ordinary user, starts Node inside a user namespace of its own, as source/user-namespace.ts does
 * from inside Node, which costs a whole second Node start: the lab is then ready as soon as
 * root's (~80 ms sooner). The same commands as there: not `doctor` (it reports on the user as
 * they are), nor `check-lessons` (no lab), nor `--sandbox netns` (root's alone); the marker
 * tells the program which uid it was started by, and that it need not try again. The program
 * makes no TLS connection, and Node reads NODE_EXTRA_CA_CERTS at every start (~30 ms where it
 * is set), so it goes, as it does from the lab's processes (nodeEnv). `node
 * dist/ka-tutorial.js` skips these lines and takes the path in user-namespace.ts.
 */
const preamble = [
	'#!/bin/sh',
	`":" //; unset NODE_EXTRA_CA_CERTS; uid=$(id -u); netns=; last=; for arg; do case "$last $arg" in '--sandbox netns' | *' --sandbox=netns') netns=1 ;; esac; last=$arg; done`,
	`":" //; if [ "$uid" != 0 ] && [ -z "$KA_TUTORIAL_USERNS" ] && [ -z "$netns" ] && [ "$1" != doctor ] && [ "$1" != check-lessons ]; then`,
	`":" //;   export KA_TUTORIAL_USERNS="$uid"`,
	`":" //;   unshare --user --map-root-user true 2>/dev/null && exec unshare --user --map-root-user -- node "$0" "$@"`,
	`":" //; fi`,
	`":" //; exec node "$0" "$@"`,
].join('\n');
const bin = 'dist/ka-tutorial.js';
const hashbang = '#!/usr/bin/env node\n';
const program = readFileSync(bin, 'utf8');
if (!program.startsWith(hashbang)) throw new Error(`scripts/bundle.js: ${bin} does not start with ${JSON.stringify(hashbang)}`);
writeFileSync(bin, `${preamble}\n${program.slice(hashbang.length)}`, {mode: 0o755});
