import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {runCheckLessons} from '../../source/lessons/check-course.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A course folder under test/fixtures. */
export const fixture = (name: string): string => path.join(root, 'test/fixtures', name);

/** `ka-tutorial check-lessons DIR` as run from the repository: its exit code and its lines. */
export function checkLessons(dir: string): {code: number; lines: string[]} {
	let out = '';
	const code = runCheckLessons(dir, text => {
		out += text;
	}, root);
	return {code, lines: out.trimEnd().split('\n')};
}
