import {describe, expect, it} from 'vitest';
import {languages} from '../../source/lessons/language.js';
import {catalogs, en, messagesFor} from '../../source/ui/messages/messages.js';

/*
 * Every catalog has the English one's type (a missing key or a different parameter list is
 * a type error in zh.ts); this checks the same at run time, where a cast or a spread could
 * have slipped past: the same keys, the same kind of value, the same number of parameters,
 * and no English text left untranslated where a translation was due.
 */

type Shape = Record<string, unknown>;

/** Each leaf as `path: kind`, functions with their parameter count: "app.labFailed: function/1". */
function leaves(value: unknown, path = ''): string[] {
	if (typeof value === 'function') return [`${path}: function/${value.length}`];
	if (typeof value !== 'object' || value === null) return [`${path}: ${typeof value}`];
	return Object.entries(value as Shape).flatMap(([key, child]) => leaves(child, path === '' ? key : `${path}.${key}`));
}

/** The strings of a catalog, by path (functions left out: their texts need arguments). */
function strings(value: unknown, path = ''): Array<[string, string]> {
	if (typeof value === 'string') return [[path, value]];
	if (typeof value !== 'object' || value === null) return [];
	return Object.entries(value as Shape).flatMap(([key, child]) => strings(child, path === '' ? key : `${path}.${key}`));
}

/** Texts that read the same in Chinese: protocol and tool names, key names, flag names. */
const sameInChinese = /^(?:[A-Z][A-Z, -]*|Keep-Alive(?: ACK)?|Linux|Node|unshare|ip|keepalive|seq|ack|len|S→C|C→S| ✗)$/;

describe('the message catalogs', () => {
	it('has one for every language of the course', () => {
		for (const language of languages) expect(messagesFor(language)).toBe(catalogs[language]);
	});

	it.each(languages.filter(language => language !== 'en'))('gives %s every key of English, with the same parameters, and no other', language => {
		expect(leaves(catalogs[language])).toEqual(leaves(en));
	});

	it.each(languages.filter(language => language !== 'en'))('translates every English text into %s (names that stay English aside)', language => {
		const translated = new Map(strings(catalogs[language]));
		const untranslated = strings(en).filter(([path, text]) => translated.get(path) === text && !sameInChinese.test(text));
		expect(untranslated).toEqual([]);
	});

	it('says the texts with values in each language, plurals where English has them', () => {
		expect(en.doctor.willWork(1)).toBe('The full tutorial will work here (1 warning, marked !).');
		expect(en.doctor.willWork(2)).toBe('The full tutorial will work here (2 warnings, marked !).');
		expect(en.doctor.lessons(['3–5'], 3)).toBe('lessons 3–5');
		expect(catalogs.zh.doctor.lessons(['2', '4–5'], 3)).toBe('第 2、4–5 课');
		expect(catalogs.zh.lesson.waiting(catalogs.zh.lesson.condition({type: 'packet', kind: 'keepalive', from: 'server', count: 2}), 1, 2)).toBe('正在等待服务器发出的 2 个 keepalive 探测包（1/2）。');
		expect(catalogs.zh.countdowns.nextIn('first', '2.3 秒', 'idle')).toBe('首个探测 2.3 秒后（idle）');
	});
});
