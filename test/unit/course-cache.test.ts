import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {defaultLessonsDir} from '../../source/lessons/course.js';
import {readCachedCourse, writeCourseCache} from '../../source/lessons/course-cache.js';
import {loadCourse} from '../../source/lessons/load.js';

const work = mkdtempSync(path.join(tmpdir(), 'ka-course-cache-'));
afterAll(() => {
	rmSync(work, {recursive: true, force: true});
});

const shipped = defaultLessonsDir();
const parsed = loadCourse(shipped);

describe('the course cache', () => {
	it('gives back the very course the parser reads', () => {
		const cache = path.join(work, 'roundtrip.json');
		writeCourseCache(shipped, parsed, cache);
		expect(readCachedCourse(shipped, cache)).toEqual(parsed);
	});

	it('is what the build wrote for the shipped course (npm test builds first)', () => {
		const built = fileURLToPath(new URL('../../dist/lessons/course.json', import.meta.url));
		expect(readCachedCourse(shipped, built)).toEqual(parsed);
	});

	it('is not taken once a lesson or the manifest differs from what it was made from', () => {
		const cache = path.join(work, 'stale.json');
		writeCourseCache(shipped, parsed, cache);
		for (const file of ['index.yaml', parsed.lessons[2]!.file]) {
			const copy = path.join(work, `copy-${file}`);
			cpSync(shipped, copy, {recursive: true});
			expect(readCachedCourse(copy, cache)).toEqual(parsed);
			writeFileSync(path.join(copy, file), `${readFileSync(path.join(copy, file), 'utf8')}\n`);
			expect(readCachedCourse(copy, cache)).toBeUndefined();
		}
	});

	it('is not taken when there is none, or it is not JSON', () => {
		expect(readCachedCourse(shipped, path.join(work, 'missing.json'))).toBeUndefined();
		const broken = path.join(work, 'broken.json');
		writeFileSync(broken, '{"sources":');
		expect(readCachedCourse(shipped, broken)).toBeUndefined();
	});
});
