import {describe, expect, it} from 'vitest';
import {cliLanguage, parseCommand, UsageError} from '../../source/cli-args.js';
import {columnsOf} from '../../source/ui/lab/format.js';
import {catalogs} from '../../source/ui/messages/messages.js';

const parse = async (argv: string[], env: Record<string, string> = {}) => parseCommand(argv, () => 7, env);
const flagsOf = (text: string) => new Set(text.match(/(?<![\w-])--?[a-z][\w-]*/g));

describe('--help and the usage errors in Chinese', () => {
	const help = catalogs.zh.cli.usage;

	it('fits every line of the help in 80 columns, measured by display width', () => {
		const wide = help.split('\n').filter(line => columnsOf(line) > 80);
		expect(wide).toEqual([]);
	});

	it('names every flag the English help names', () => {
		const chinese = flagsOf(help);
		expect([...flagsOf(catalogs.en.cli.usage)].filter(flag => !chinese.has(flag))).toEqual([]);
	});

	it('aligns the descriptions of the options in one column', () => {
		const starts = help
			.split('\n')
			.filter(line => /^ {2}--[a-z-]+( \S+)? {2,}\S/.test(line) && !line.includes('auto|'))
			.map(line => columnsOf(/^ {2}--[a-z-]+( \S+)? +/.exec(line)![0]));
		expect(new Set(starts)).toEqual(new Set([26]));
	});

	it('takes the language from --lang first, then from the locale', async () => {
		expect(cliLanguage(['--idle', '3', '--lang', 'zh'], {LANG: 'en_US.UTF-8'})).toBe('zh');
		expect(cliLanguage(['--lang=en'], {LANG: 'zh_CN.UTF-8'})).toBe('en');
		expect(cliLanguage(['--lang', 'fr'], {LANG: 'zh_CN.UTF-8'})).toBe('zh');
		expect(cliLanguage([], {LC_ALL: 'zh_CN.UTF-8'})).toBe('zh');
		expect(await parse(['--help'], {LANG: 'zh_CN.UTF-8'})).toEqual({mode: 'help', lang: 'zh'});
		expect(await parse(['--lang', 'en', '-h'], {LANG: 'zh_CN.UTF-8'})).toEqual({mode: 'help', lang: 'en'});
	});

	it.each([
		[['--lang', 'zh', '--idle', '0'], '--idle 必须在 1 到 32767 秒之间（内核允许的范围）；收到的是 0。'],
		[['--lang', 'zh', '--probes', 'x'], '--probes 必须是 1 到 127 之间的整数；收到的是 "x"。'],
		[['--lang', 'zh', '--lesson', '9'], '--lesson 必须在 1 到 7 之间；收到的是 9。'],
		// A bad flag before --lang is refused in --lang's language.
		[['--foo', '--lang', 'zh'], '未知选项 --foo。参见 ka-tutorial --help。'],
		[['lab', '--lang', 'zh'], '--lang 是教程的选项，不能和 lab 一起用。'],
		[['--lang', 'fr'], '--lang 只能是 en、zh 之一；收到的是 "fr"。'],
	])('refuses %j in Chinese, naming the range', async (argv, message) => {
		await expect(parse(argv, {LANG: 'zh_CN.UTF-8'})).rejects.toThrow(new UsageError(message));
	});

	it('refuses in English under an English locale unless --lang zh is given', async () => {
		await expect(parse(['--idle', '0'], {LANG: 'en_US.UTF-8'})).rejects.toThrow(/^--idle must be from 1 to 32767 seconds/);
		await expect(parse(['lab', '--user-timeout', '-1'], {LANG: 'zh_CN.UTF-8'})).rejects.toThrow(new UsageError('--user-timeout 必须在 0 到 3600000 毫秒之间（0 表示关闭）；收到的是 -1。'));
	});
});
