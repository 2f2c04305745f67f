/**
 * The author's commands through the built CLI (`npm run build`): `check-lessons [DIR]`
 * and `--lessons DIR`, with their exit codes and one-line refusals. No lab starts.
 */
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {cliPath, root} from '../helpers/cli.js';

function run(...args: string[]) {
	expect(existsSync(cliPath), 'run `npm run build` first').toBe(true);
	const result = spawnSync(process.execPath, [cliPath, ...args], {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
	return {code: result.status, stdout: result.stdout.trimEnd().split('\n'), stderr: result.stderr};
}

describe('check-lessons through the real CLI', () => {
	it('passes the shipped course with exit code 0', () => {
		const {code, stdout, stderr} = run('check-lessons');
		expect({code, stderr}).toEqual({code: 0, stderr: ''});
		expect(stdout).toEqual([expect.stringMatching(/^lessons: \d+ lessons, \d+ steps, translated into zh, no problems$/)]);
	});

	it('lists a bad course\'s problems as file:line: message, with exit code 1', () => {
		const {code, stdout} = run('check-lessons', 'test/fixtures/bad-course-duplicate-id');
		expect(code).toBe(1);
		expect(stdout).toEqual([
			'test/fixtures/bad-course-duplicate-id/index.yaml:4: lesson id "same" is used by both one.md and two.md',
			'1 problem in test/fixtures/bad-course-duplicate-id',
		]);
	});

	it('refuses a folder that holds no course with exit code 2 and the fix', () => {
		expect(run('check-lessons', 'test/fixtures/nowhere')).toEqual({
			code: 2,
			stdout: [''],
			stderr: "ka-tutorial: test/fixtures/nowhere does not exist: give the folder that holds the course's index.yaml (lessons/FORMAT.md).\n",
		});
	});
});

describe('--lessons through the real CLI', () => {
	it.each([
		['test/fixtures/nowhere', "test/fixtures/nowhere does not exist: give the folder that holds the course's index.yaml (lessons/FORMAT.md)."],
		[
			'test/fixtures/bad-course-missing-file',
			'the course in test/fixtures/bad-course-missing-file has a problem: test/fixtures/bad-course-missing-file/index.yaml:4: lesson file "gone.md" does not exist. See it with: ka-tutorial check-lessons test/fixtures/bad-course-missing-file',
		],
	])('refuses %s in one line, before anything starts', (dir, message) => {
		expect(run('--lessons', dir)).toEqual({code: 2, stdout: [''], stderr: `ka-tutorial: ${message}\n`});
	});

	it('checks --lesson against that course', () => {
		expect(run('--lessons', 'test/fixtures/course', '--lesson', '3')).toMatchObject({code: 2, stderr: 'ka-tutorial: --lesson must be from 1 to 2; got 3.\n'});
	});
});

describe('--lang through the real CLI', () => {
	it('refuses a language it does not know in one line, naming the ones it does', () => {
		expect(run('--lang', 'fr')).toEqual({code: 2, stdout: [''], stderr: 'ka-tutorial: --lang must be one of en, zh; got "fr".\n'});
	});

	it('refuses --lang zh for a course without that translation; the locale alone gives way to the course as written', () => {
		expect(run('--lang', 'zh', '--lessons', 'test/fixtures/course')).toEqual({
			code: 2,
			stdout: [''],
			// In the language --lang asks for, as every usage error.
			stderr: 'ka-tutorial: --lang zh：test/fixtures/course 没有 zh 译本（其中没有 zh/index.yaml）；不加 --lang 即可使用原文课程。\n',
		});
		const chinese = spawnSync(process.execPath, [cliPath, '--lessons', 'test/fixtures/course', '--lesson', '3'], {cwd: root, encoding: 'utf8', env: {...process.env, LC_ALL: 'zh_CN.UTF-8'}});
		expect(chinese.stderr).toBe('ka-tutorial: --lesson 必须在 1 到 2 之间；收到的是 3。\n');
	});

	it('checks --lesson against the translation it picks', () => {
		expect(run('--lang', 'zh', '--lessons', 'test/fixtures/translated-course', '--lesson', '3')).toMatchObject({code: 2, stderr: 'ka-tutorial: --lesson 必须在 1 到 2 之间；收到的是 3。\n'});
		expect(run('--lang', 'en', '--lessons', 'test/fixtures/translated-course', '--lesson', '3')).toMatchObject({code: 2, stderr: 'ka-tutorial: --lesson must be from 1 to 2; got 3.\n'});
	});
});
