import type {Language} from '../../lessons/language.js';
import {en, type Messages} from './en.js';
import {zh} from './zh.js';

/*
 * The catalog for a language: a plain module, for the screens (through MessagesProvider)
 * and for code that prints (the doctor, the CLI's usage and help).
 */

export type {AroundKey, Messages} from './en.js';
export {en} from './en.js';

export const catalogs: Record<Language, Messages> = {en, zh};

export function messagesFor(language: Language): Messages {
	return catalogs[language];
}
