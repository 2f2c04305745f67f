/*
 * The languages the tutorial's course comes in. A course folder holds the original
 * (the shipped one is English); a translation is a subfolder named after its language
 * (lessons/zh/ is the Chinese one), as lessons/FORMAT.md says.
 */

export const languages = ['en', 'zh'] as const;
export type Language = (typeof languages)[number];

/** The language a course is asked for in, and whether --lang asked or the locale (which a course without it may ignore). */
export type CourseLanguage = {code: Language; from: 'flag' | 'locale'};

/** The language of a course folder itself, not of a subfolder. */
export const originalLanguage: Language = 'en';

export function isLanguage(value: string): value is Language {
	return (languages as readonly string[]).includes(value);
}

/**
 * The language the locale asks for: the first of LC_ALL, LC_MESSAGES and LANG that is
 * set decides, as it does for a program's messages (so LC_ALL=C wins over LANG=zh_CN.UTF-8);
 * `zh…` is Chinese, anything else English.
 */
export function localeLanguage(env: Readonly<Record<string, string | undefined>>): Language {
	const locale = [env['LC_ALL'], env['LC_MESSAGES'], env['LANG']].find(value => value !== undefined && value !== '');
	return locale?.startsWith('zh') ? 'zh' : 'en';
}
