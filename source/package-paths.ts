/*
 * Where the package's own files are. Found by walking up from this module to the folder
 * that holds package.json, so that the source (source/), tsc's modules (dist/…) and the
 * bundle (dist/ka-tutorial.js and its chunks), each at another depth, agree.
 */
import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

function rootAbove(dir: string): string {
	if (existsSync(path.join(dir, 'package.json'))) return dir;
	const parent = path.dirname(dir);
	if (parent === dir) throw new Error('ka-tutorial: no package.json above its own files');
	return rootAbove(parent);
}

/** The package's folder: package.json, lessons/, dist/. */
export const packageRoot = rootAbove(path.dirname(fileURLToPath(import.meta.url)));

/** A file of the build in dist/: the lab's own processes (agent.js, client.js, from the bundle) and the course cache. */
export function builtFile(...parts: string[]): string {
	return path.join(packageRoot, 'dist', ...parts);
}
