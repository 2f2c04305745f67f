import {parseArgs} from 'node:util';
import type {FirewallTool, SandboxKind} from './lab/shared/events.js';
import {isPresetName, type KeepaliveParams, limits, natTimeoutLimits, type PresetName, presets, userTimeoutLimits} from './lab/shared/params.js';
import {isScenarioName, type ScenarioName, scenarioNames, scenarios} from './lab/scenarios/scenarios.js';
import {type CourseLanguage, isLanguage, type Language, languages, localeLanguage} from './lessons/language.js';
import {en, messagesFor} from './ui/messages/messages.js';
import type {CliMessages, RangeWords} from './ui/messages/en-cli.js';

/** The English --help; `ka-tutorial --help` prints the one of the language asked for (messages/en-cli.ts, zh-cli.ts). */
export const usage = en.cli.usage;

export type Common = {
	params: KeepaliveParams;
	sandbox: SandboxKind | 'auto';
	firewall: FirewallTool | 'auto';
};

export type Command =
	| {mode: 'help'; lang: Language}
	| {mode: 'version'}
	| {mode: 'doctor'}
	| {mode: 'check-lessons'; dir?: string}
	| ({mode: 'verify'; exercise: string; json: boolean} & Common & CourseChoice)
	| ({mode: 'verify-list'} & CourseChoice)
	| ({mode: 'lab'; scenario: ScenarioName; dropAfter: number; pcap?: string; json: boolean; userTimeout?: number; natTimeout?: number} & Common)
	| {mode: 'list-scenarios'}
	| ({mode: 'tutorial'; lesson?: number; lessons?: string; lang: CourseLanguage; preset: PresetName; reset: boolean} & Common);

export class UsageError extends Error {}

const options = {
	preset: {type: 'string'},
	idle: {type: 'string'},
	intvl: {type: 'string'},
	probes: {type: 'string'},
	lesson: {type: 'string'},
	lessons: {type: 'string'},
	lang: {type: 'string'},
	reset: {type: 'boolean'},
	'drop-after': {type: 'string'},
	pcap: {type: 'string'},
	scenario: {type: 'string'},
	'list-scenarios': {type: 'boolean'},
	'user-timeout': {type: 'string'},
	'nat-timeout': {type: 'string'},
	json: {type: 'boolean'},
	sandbox: {type: 'string'},
	firewall: {type: 'string'},
	list: {type: 'boolean'},
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'v'},
} as const;

type Name = keyof typeof options;
type Values = {[N in Name]?: (typeof options)[N]['type'] extends 'string' ? string : true};

function isName(name: string): name is Name {
	return Object.hasOwn(options, name);
}

/**
 * The options, checked one by one. parseArgs runs without `strict` so that a value may
 * start with a dash (`--idle -1` gets the range message, not "ambiguous"); the checks
 * strict mode made, and the ones it never makes (a flag given twice), are done here.
 */
function readOptions(argv: string[], words: CliMessages): {values: Values; positionals: string[]} {
	const {tokens} = parseArgs({args: argv, options, allowPositionals: true, strict: false, tokens: true});
	const values: Values = {};
	const positionals: string[] = [];
	for (const token of tokens) {
		if (token.kind === 'positional') positionals.push(token.value);
		if (token.kind !== 'option') continue;
		const {name, rawName, value, inlineValue} = token;
		if (!isName(name)) throw new UsageError(words.unknownOption(rawName));
		if (values[name] !== undefined) throw new UsageError(words.givenTwice(name));
		if (options[name].type === 'boolean') {
			if (value !== undefined) throw new UsageError(words.takesNoValue(name, value));
			Object.assign(values, {[name]: true});
			continue;
		}

		// Without strict, the next word is taken as the value whatever it is; one like `--json` is another option.
		if (value === undefined || (!inlineValue && /^-(?!\d)/.test(value))) {
			throw new UsageError(words.needsValue(name));
		}

		Object.assign(values, {[name]: value});
	}

	return {values, positionals};
}

function oneOf<T extends string>(words: CliMessages, flag: string, value: string | undefined, allowed: readonly T[]): T | 'auto' {
	if (value === undefined || value === 'auto') return 'auto';
	if ((allowed as readonly string[]).includes(value)) return value as T;
	throw new UsageError(words.oneOf(flag, ['auto', ...allowed], value));
}

/** A whole number within the range; the error names the range and echoes the text as typed. */
function wholeNumber(words: CliMessages, flag: string, text: string, range: RangeWords): number {
	const match = /^(-?)\d+$/.exec(text.trim());
	if (!match) throw new UsageError(words.notWhole(flag, range, text));
	const value = Number(match[0]);
	// Every range starts at 0 or more, so a minus sign (even on -0) is out of it.
	if (match[1] === '-' || value < range.min || value > range.max) throw new UsageError(words.outOfRange(flag, range, text.trim()));
	return value;
}

function keepaliveParams(words: CliMessages, base: KeepaliveParams, values: Values): KeepaliveParams {
	const params = {...base};
	const errors: string[] = [];
	for (const name of ['idle', 'intvl', 'probes'] as const) {
		const text = values[name];
		if (text === undefined) continue;
		const range: RangeWords = {...limits[name], ...(name === 'probes' ? {} : {unit: 'seconds'}), whose: 'kernel'};
		try {
			params[name] = wholeNumber(words, name, text, range);
		} catch (error) {
			errors.push((error as Error).message);
		}
	}

	// Every bad value is reported at once, not just the first.
	if (errors.length > 0) throw new UsageError(errors.join('\n'));
	return params;
}

/** --lang, or the locale's language when it is not given. */
function courseLanguage(words: CliMessages, value: string | undefined, env: Readonly<Record<string, string | undefined>>): CourseLanguage {
	if (value === undefined) return {code: localeLanguage(env), from: 'locale'};
	if (isLanguage(value)) return {code: value, from: 'flag'};
	throw new UsageError(words.oneOf('lang', languages, value));
}

/**
 * The language of --help and of the usage errors: --lang's when it names one, peeked
 * before any other check (so that a bad flag beside it is refused in that language), else
 * the locale's.
 */
export function cliLanguage(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Language {
	for (const [index, word] of argv.entries()) {
		if (word === '--') break;
		const value = word.startsWith('--lang=') ? word.slice('--lang='.length) : word === '--lang' ? argv[index + 1] : undefined;
		if (value !== undefined && isLanguage(value)) return value;
	}

	return localeLanguage(env);
}

/** The course a command reads: --lessons DIR or the shipped one, in --lang or the locale's language. */
export type CourseChoice = {lessons?: string; lang: CourseLanguage};

const verifyOptions = ['idle', 'intvl', 'probes', 'json', 'sandbox', 'firewall', 'lessons', 'lang'];

/** `verify EXERCISE --idle S --intvl S --probes N …`, or `verify --list`. The exercise itself is looked up in the course later. */
function verifyCommand(words: CliMessages, values: Values, exercises: string[], env: Readonly<Record<string, string | undefined>>): Command {
	const other = Object.keys(values).find(name => ![...verifyOptions, 'list'].includes(name));
	if (other !== undefined) throw new UsageError(words.notWithVerify(other, verifyOptions));
	if (values.lessons === '') throw new UsageError(words.needsFolder('lessons'));
	const course: CourseChoice = {lang: courseLanguage(words, values.lang, env), ...(values.lessons === undefined ? {} : {lessons: values.lessons})};
	if (values.list) {
		const given = exercises[0] ?? Object.keys(values).find(name => !['list', 'lessons', 'lang'].includes(name));
		if (given !== undefined) throw new UsageError(words.listTakesNothing(exercises[0] ?? `--${given}`));
		return {mode: 'verify-list', ...course};
	}

	const [exercise, ...more] = exercises;
	if (exercise === undefined) throw new UsageError(words.verifyNeedsExercise);
	if (more.length > 0) throw new UsageError(words.oneExercise(exercises));
	const missing = (['idle', 'intvl', 'probes'] as const).filter(name => values[name] === undefined);
	if (missing.length > 0) throw new UsageError(words.valuesMissing(missing));
	return {
		mode: 'verify',
		exercise,
		json: values.json ?? false,
		// Every knob is given, so the preset is never used.
		params: keepaliveParams(words, presets.fast, values),
		sandbox: oneOf(words, 'sandbox', values.sandbox, ['netns', 'userns'] as const),
		firewall: oneOf(words, 'firewall', values.firewall, ['iptables', 'nft'] as const),
		...course,
	};
}

/**
 * Parses argv (without node and the script) into a command; rejects with a UsageError
 * naming the fix. `lessonCount` (of the course in --lessons, or the shipped one, in the
 * language asked for) is asked for only when --lesson needs checking. `env` gives the
 * locale --lang defaults to, and the language of the errors (cliLanguage).
 */
export async function parseCommand(
	argv: string[],
	lessonCount: (lessons?: string, lang?: CourseLanguage) => number | Promise<number>,
	env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Command> {
	const lang = cliLanguage(argv, env);
	const words = messagesFor(lang).cli;
	const {values, positionals} = readOptions(argv, words);
	if (values.help) return {mode: 'help', lang};
	if (values.version) return {mode: 'version'};
	// A subcommand without options refuses any, naming the first given.
	const refuseOptions = (command: 'doctor' | 'check-lessons') => {
		const [given] = Object.keys(values);
		if (given !== undefined) throw new UsageError(words.noOptions(command, given));
	};

	if (positionals.length === 1 && positionals[0] === 'doctor') {
		refuseOptions('doctor');
		return {mode: 'doctor'};
	}

	if (positionals[0] === 'check-lessons') {
		refuseOptions('check-lessons');
		if (positionals.length > 2) throw new UsageError(words.oneFolder(positionals.length - 1));
		return {mode: 'check-lessons', ...(positionals[1] === undefined ? {} : {dir: positionals[1]})};
	}

	if (positionals[0] === 'verify') return verifyCommand(words, values, positionals.slice(1), env);
	if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== 'lab')) {
		throw new UsageError(words.unknownCommand(positionals.join(' ')));
	}

	const lab = positionals[0] === 'lab';
	// nat compares keepalive with a router timeout of seconds: the article's 55 s idle would never probe in time.
	const presetName = values.preset ?? (lab && values.scenario !== 'nat' ? 'article' : 'fast');
	if (!isPresetName(presetName)) throw new UsageError(words.presetOneOf(presetName));

	const common: Common = {
		params: keepaliveParams(words, presets[presetName], values),
		sandbox: oneOf(words, 'sandbox', values.sandbox, ['netns', 'userns'] as const),
		firewall: oneOf(words, 'firewall', values.firewall, ['iptables', 'nft'] as const),
	};
	if (lab) {
		for (const flag of ['lesson', 'lessons', 'lang', 'reset'] as const) {
			if (values[flag] !== undefined) throw new UsageError(words.tutorialOnly(flag));
		}

		if (values.pcap === '') throw new UsageError(words.needsFile('pcap'));
		if (values['list-scenarios']) return {mode: 'list-scenarios'};
		const scenario = values.scenario ?? 'drop';
		if (!isScenarioName(scenario)) throw new UsageError(words.scenarioOneOf(scenarioNames, scenario));
		const {dropAfter} = scenarios[scenario];
		if (dropAfter === null && values['drop-after'] !== undefined) throw new UsageError(words.dropsNothing(scenario));
		const userTimeout = values['user-timeout'];
		const natTimeout = values['nat-timeout'];
		if (natTimeout !== undefined && scenarios[scenario].routerTimeout === null) throw new UsageError(words.noRouter(scenario));
		return {
			mode: 'lab',
			...common,
			scenario,
			dropAfter: values['drop-after'] === undefined ? (dropAfter ?? 0) : wholeNumber(words, 'drop-after', values['drop-after'], {min: 0, max: 1000}),
			json: values.json ?? false,
			...(values.pcap === undefined ? {} : {pcap: values.pcap}),
			...(userTimeout === undefined ? {} : {userTimeout: wholeNumber(words, 'user-timeout', userTimeout, {...userTimeoutLimits, unit: 'ms', whose: 'zero-off'})}),
			...(natTimeout === undefined ? {} : {natTimeout: wholeNumber(words, 'nat-timeout', natTimeout, {...natTimeoutLimits, unit: 'seconds'})}),
		};
	}

	for (const flag of ['drop-after', 'pcap', 'json', 'scenario', 'list-scenarios', 'user-timeout', 'nat-timeout'] as const) {
		if (values[flag] !== undefined) throw new UsageError(words.labOnly(flag));
	}

	if (values.lessons === '') throw new UsageError(words.needsFolder('lessons'));
	const lessons = values.lessons === undefined ? {} : {lessons: values.lessons};
	const course = courseLanguage(words, values.lang, env);
	const lesson = values.lesson === undefined ? {} : {lesson: wholeNumber(words, 'lesson', values.lesson, {min: 1, max: await lessonCount(values.lessons, course)})};
	return {mode: 'tutorial', ...common, preset: presetName, reset: values.reset ?? false, lang: course, ...lessons, ...lesson};
}
