import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {defaultLessonsDir, translationDir} from '../../source/lessons/course.js';
import {readCachedCourse, writeCourseCache} from '../../source/lessons/course-cache.js';
import {loadCourse} from '../../source/lessons/load.js';

const work = mkdtempSync(path.join(tmpdir(), 'ka-course-cache-'));
afterAll(() => {
	rmSync(work, {recursive: true, force: true});
});

const shipped = defaultLessonsDir();
const parsed = loadCourse(shipped);
const chinese = translationDir(shipped, 'zh');
const parsedChinese = loadCourse(chinese);

describe('the course cache', () => {
	it('gives back the very course the parser reads', () => {
		const cache = path.join(work, 'roundtrip.json');
		writeCourseCache([{dir: shipped, course: parsed}], cache);
		expect(readCachedCourse(shipped, cache)).toEqual(parsed);
	});

	it('holds several courses, each given back for its own folder only', () => {
		const cache = path.join(work, 'two.json');
		writeCourseCache([{dir: shipped, course: parsed}, {dir: chinese, course: parsedChinese}], cache);
		expect(readCachedCourse(shipped, cache)).toEqual(parsed);
		expect(readCachedCourse(chinese, cache)).toEqual(parsedChinese);
		writeCourseCache([{dir: shipped, course: parsed}], cache);
		expect(readCachedCourse(chinese, cache)).toBeUndefined();
	});

	it('is what the build wrote for the shipped course and its translation (npm test builds first)', () => {
		const built = fileURLToPath(new URL('../../dist/lessons/course.json', import.meta.url));
		expect(readCachedCourse(shipped, built)).toEqual(parsed);
		expect(readCachedCourse(chinese, built)).toEqual(parsedChinese);
	});

	it('is not taken once a lesson or the manifest differs from what it was made from', () => {
		const cache = path.join(work, 'stale.json');
		writeCourseCache([{dir: shipped, course: parsed}], cache);
		for (const file of ['index.yaml', parsed.lessons[2]!.file]) {
			const copy = path.join(work, `copy-${file}`);
			cpSync(shipped, copy, {recursive: true});
			expect(readCachedCourse(copy, cache)).toEqual(parsed);
			writeFileSync(path.join(copy, file), `${readFileSync(path.join(copy, file), 'utf8')}\n`);
			expect(readCachedCourse(copy, cache)).toBeUndefined();
		}
	});

	it('is not taken when there is none, it is not JSON, its course file is gone, or it is of a shape builds wrote before', () => {
		expect(readCachedCourse(shipped, path.join(work, 'missing.json'))).toBeUndefined();
		const broken = path.join(work, 'broken.json');
		writeFileSync(broken, '{"sources":');
		expect(readCachedCourse(shipped, broken)).toBeUndefined();
		const older = path.join(work, 'older.json');
		writeFileSync(older, JSON.stringify({sources: {}, course: parsed}));
		expect(readCachedCourse(shipped, older)).toBeUndefined();
		// The index with the courses inside it, before each had a file of its own.
		const inline = path.join(work, 'inline.json');
		writeCourseCache([{dir: shipped, course: parsed}], inline);
		const [entry] = JSON.parse(readFileSync(inline, 'utf8')) as Array<{sources: Record<string, string>}>;
		writeFileSync(inline, JSON.stringify([{sources: entry!.sources, course: parsed}]));
		expect(readCachedCourse(shipped, inline)).toBeUndefined();
		const orphan = path.join(work, 'orphan.json');
		writeCourseCache([{dir: shipped, course: parsed}], orphan);
		rmSync(path.join(work, 'orphan.0.json'));
		expect(readCachedCourse(shipped, orphan)).toBeUndefined();
	});
});
