import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {translationProblems} from '../../source/lessons/check-translation.js';
import {translationDir, translationsOf} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import {formatProblem} from '../../source/lessons/problem.js';
import {checkLessons as check, fixture} from '../helpers/check-lessons.js';

const work = mkdtempSync(path.join(tmpdir(), 'ka-translation-'));
afterAll(() => {
	rmSync(work, {recursive: true, force: true});
});

describe('a course\'s translations', () => {
	it('are its subfolders named by a language code that hold a course', () => {
		expect(translationsOf(fixture('translated-course'))).toEqual([{lang: 'zh', dir: path.join(fixture('translated-course'), 'zh')}]);
		expect(translationsOf(fixture('course'))).toEqual([]);
		expect(translationDir('lessons', 'zh')).toBe(path.join('lessons', 'zh'));
		expect(translationDir('lessons', 'en')).toBe('lessons');
	});

	it('are checked with the course: a translation that matches passes, and the summary names it', () => {
		expect(check(fixture('translated-course'))).toEqual({code: 0, lines: ['test/fixtures/translated-course: 2 lessons, 5 steps, translated into zh, no problems']});
	});

	it('must keep every step\'s kind, condition, key and action, answer, number of choices and facts, and the lab\'s sysctls', () => {
		const dir = 'test/fixtures/bad-translation-steps';
		expect(check(fixture('bad-translation-steps'))).toEqual({
			code: 1,
			lines: [
				`${dir}/zh/intro.md:6: step 1 "你好": no facts, where the original (intro.md:6) has the facts {{host.node}}`,
				`${dir}/zh/intro.md:10: step 2 "小测": answer a, where the original (intro.md:10) has answer b`,
				`${dir}/zh/intro.md:10: step 2 "小测": 2 choices, where the original (intro.md:10) has 3 choices`,
				`${dir}/zh/lab.md:1: sysctls tcp_keepalive_time: 300, where the original (lab.md:1) has sysctls tcp_keepalive_time: 600`,
				`${dir}/zh/lab.md:9: step 1 "两个探测": until \`packet keepalive from server\`, where the original (lab.md:9) has until \`packet keepalive from server count 2\``,
				`${dir}/zh/lab.md:18: step 2 "丢包": key \`x\`, where the original (lab.md:18) has key \`d\``,
				`${dir}/zh/lab.md:18: step 2 "丢包": action drop-off, where the original (lab.md:18) has action drop-on`,
				`${dir}/zh/lab.md:28: step 3 "超时" is a read step, where the original (lab.md:28) has a wait step`,
				`${dir}/zh/lab.md:32: step 4 "多出来的一步" is not in the original (lab.md), which has 3 steps`,
				`9 problems in ${dir}`,
			],
		});
	});

	it('must have every lesson of the original and no other, in the same order, each with its steps and its lab', () => {
		const dir = 'test/fixtures/bad-translation-lessons';
		expect(check(fixture('bad-translation-lessons'))).toEqual({
			code: 1,
			lines: [
				`${dir}/zh/one.md:1: lesson "one" is lesson 2 here and lesson 1 in the original (one.md): list the lessons in the same order`,
				`${dir}/zh/one.md:1: step 2 of the original (one.md:10), "More", is not translated: this lesson has 1 step`,
				`${dir}/zh/two.md:1: lesson "two" is lesson 1 here and lesson 2 in the original (two.md): list the lessons in the same order`,
				`${dir}/zh/two.md:1: lab: true, where the original (two.md:1) has lab: false`,
				`${dir}/three.md:1: lesson "three" has no zh translation: zh/index.yaml lists no lesson with this id`,
				`${dir}/zh/extra.md:1: lesson "extra" is not in the original course: index.yaml lists no lesson with this id`,
				`6 problems in ${dir}`,
			],
		});
	});

	it('counts the order among the lessons both have: one lesson left out is one problem', () => {
		const original = loadCourse(fixture('translated-course'));
		const shorter = {...original, lessons: original.lessons.slice(1)};
		expect(translationProblems(original, shorter, 'zh').map(problem => formatProblem(problem))).toEqual([
			'intro.md:1: lesson "intro" has no zh translation: zh/index.yaml lists no lesson with this id',
		]);
	});

	it('are each checked as a course of their own too, their files named from the original\'s folder', () => {
		const copy = path.join(work, 'broken-translation');
		cpSync(fixture('translated-course'), copy, {recursive: true});
		const lab = path.join(copy, 'zh/lab.md');
		writeFileSync(lab, readFileSync(lab, 'utf8').replace('until: socket-error server ETIMEDOUT', 'until: sockets'));
		// The one problem, and no comparison with the original: a translation that does not load has no steps to compare.
		const {code, lines} = check(copy);
		expect(code).toBe(1);
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(/\/broken-translation\/zh\/lab\.md:32: step 3 "超时": unknown condition "sockets"/);
	});
});
