// As the user the test runs it as (nobody, through setpriv): opens the saved progress in
// options.dir with dist/progress/progress-store.js, saves two different places in a
// two-step lesson, and prints the load problem, what each save returned and the file after.
import {readFileSync} from 'node:fs';
import {deadline, dist} from './common.mjs';

deadline(10_000);
const {dir} = JSON.parse(process.argv[2] ?? '{}');
const {openProgress} = await import(new URL('progress/progress-store.js', dist).href);
const store = openProgress({dir});
// Only what the store reads of the step engine's state.
const lessons = [{id: 'intro', steps: [{kind: 'read'}, {kind: 'read'}]}];
const at = step => ({lessons, lesson: 0, step, done: step > 0 ? {'intro/0': true} : {}, answers: {}});
const saves = [store.save(at(0)), store.save(at(1))];
let file = null;
try {
	file = JSON.parse(readFileSync(`${dir}/progress.json`, 'utf8'));
} catch {}

// undefined (no problem) becomes null, which JSON keeps.
console.log(JSON.stringify({problem: store.problem ?? null, saves: saves.map(problem => problem ?? null), file}));
