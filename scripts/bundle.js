// The program as users start it (package.json's bin): tsc's modules, bundled by esbuild into
// dist/ka-tutorial.js and a chunk per part that loads on demand (the tutorial's screen, the
// headless lab, doctor, …). Node then opens ~50 files instead of ~650 modules, each resolved,
// read and, for React's CommonJS, lexed for its exports: the first frame comes ~0.4 s sooner and
// the process holds ~25 MiB less. The lab's own processes start from dist/agent.js (an ordinary
// user's agent: ~35 ms sooner than from its ~40 modules) and dist/client.js, sharing the chunks,
// so that the package ships the bundle alone; the tests also import tsc's modules.
import {rmSync} from 'node:fs';
import {build} from 'esbuild';

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
	logLevel: 'warning',
});
