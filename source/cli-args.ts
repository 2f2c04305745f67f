import {parseArgs} from 'node:util';
import type {FirewallTool, SandboxKind} from './lab/shared/events.js';
import {isPresetName, type KeepaliveParams, limits, type PresetName, presets} from './lab/shared/params.js';
import {type CourseLanguage, isLanguage, languages, localeLanguage} from './lessons/language.js';

export const usage = `ka-tutorial — learn how TCP keepalive really works on Linux, by running it

Usage
  ka-tutorial [options]          the interactive tutorial (needs a terminal)
  ka-tutorial lab [options]      one experiment, headless: connect, keepalive,
                                 firewall drop, RST; prints the timeline
  ka-tutorial doctor             checks what the lab needs on this machine and
                                 runs a 3-second lab; exit 0 when the full
                                 tutorial will work (for a workshop's pre-flight)
  ka-tutorial check-lessons [DIR]
                                 checks a course folder (default: the shipped
                                 lessons) against lessons/FORMAT.md; prints
                                 file:line: problem, exit 0 when there is none

Keepalive values (checked against the kernel's ranges)
  --preset article|fast   article: idle 55 s, intvl 6 s, probes 2 (default for lab)
                          fast: idle 5 s, intvl 2 s, probes 3 (default for the tutorial)
  --idle S                TCP_KEEPIDLE, 1..32767 seconds
  --intvl S               TCP_KEEPINTVL, 1..32767 seconds
  --probes N              TCP_KEEPCNT, 1..127

Tutorial
  --lesson N              start at lesson N
  --lessons DIR           the course in DIR instead of the shipped one
  --lang zh|en            the course's language (default: from LC_ALL,
                          LC_MESSAGES or LANG: zh… is zh, anything else en)
  --reset                 start over: forget the saved progress (kept in
                          ~/.config/ka-tutorial, or $XDG_CONFIG_HOME's, or
                          $KA_TUTORIAL_CONFIG_DIR when set)

Lab
  --drop-after N          switch the drop on right after the N-th answered
                          probe (default 1; 0 = right after the handshake)
  --pcap FILE             write every captured frame to FILE (classic pcap)
  --json                  newline-delimited JSON events instead of text

Sandbox and firewall (normally chosen for you)
  --sandbox auto|netns|userns   netns needs root; userns works as a normal user
  --firewall auto|iptables|nft  the tool that drops the client's packets

  -h, --help              this help
  -v, --version           the version
`;

export type Common = {
	params: KeepaliveParams;
	sandbox: SandboxKind | 'auto';
	firewall: FirewallTool | 'auto';
};

export type Command =
	| {mode: 'help'}
	| {mode: 'version'}
	| {mode: 'doctor'}
	| {mode: 'check-lessons'; dir?: string}
	| ({mode: 'lab'; dropAfter: number; pcap?: string; json: boolean} & Common)
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
	json: {type: 'boolean'},
	sandbox: {type: 'string'},
	firewall: {type: 'string'},
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
function readOptions(argv: string[]): {values: Values; positionals: string[]} {
	const {tokens} = parseArgs({args: argv, options, allowPositionals: true, strict: false, tokens: true});
	const values: Values = {};
	const positionals: string[] = [];
	for (const token of tokens) {
		if (token.kind === 'positional') positionals.push(token.value);
		if (token.kind !== 'option') continue;
		const {name, rawName, value, inlineValue} = token;
		if (!isName(name)) throw new UsageError(`unknown option ${rawName}. See ka-tutorial --help.`);
		if (values[name] !== undefined) throw new UsageError(`--${name} is given twice; give it once.`);
		if (options[name].type === 'boolean') {
			if (value !== undefined) throw new UsageError(`--${name} takes no value; got "${value}".`);
			Object.assign(values, {[name]: true});
			continue;
		}

		// Without strict, the next word is taken as the value whatever it is; one like `--json` is another option.
		if (value === undefined || (!inlineValue && /^-(?!\d)/.test(value))) {
			throw new UsageError(`--${name} needs a value. See ka-tutorial --help.`);
		}

		Object.assign(values, {[name]: value});
	}

	return {values, positionals};
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | 'auto' {
	if (value === undefined || value === 'auto') return 'auto';
	if ((allowed as readonly string[]).includes(value)) return value as T;
	throw new UsageError(`--${flag} must be one of auto, ${allowed.join(', ')}; got "${value}".`);
}

type Range = {min: number; max: number; unit?: string; whose?: string};

/** A whole number within the range; the error names the range and echoes the text as typed. */
function wholeNumber(flag: string, text: string, {min, max, unit = '', whose = ''}: Range): number {
	const match = /^(-?)\d+$/.exec(text.trim());
	if (!match) throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}${unit}; got "${text}".`);
	const value = Number(match[0]);
	// Every range starts at 0 or more, so a minus sign (even on -0) is out of it.
	if (match[1] === '-' || value < min || value > max) {
		throw new UsageError(`--${flag} must be from ${min} to ${max}${unit}${whose}; got ${text.trim()}.`);
	}

	return value;
}

function keepaliveParams(base: KeepaliveParams, values: Values): KeepaliveParams {
	const params = {...base};
	const errors: string[] = [];
	for (const name of ['idle', 'intvl', 'probes'] as const) {
		const text = values[name];
		if (text === undefined) continue;
		const range = {...limits[name], unit: name === 'probes' ? '' : ' seconds', whose: " (the kernel's range)"};
		try {
			params[name] = wholeNumber(name, text, range);
		} catch (error) {
			errors.push((error as Error).message);
		}
	}

	// Every bad value is reported at once, not just the first.
	if (errors.length > 0) throw new UsageError(errors.join('\n'));
	return params;
}

/** --lang, or the locale's language when it is not given. */
function courseLanguage(value: string | undefined, env: Readonly<Record<string, string | undefined>>): CourseLanguage {
	if (value === undefined) return {code: localeLanguage(env), from: 'locale'};
	if (isLanguage(value)) return {code: value, from: 'flag'};
	throw new UsageError(`--lang must be one of ${languages.join(', ')}; got "${value}".`);
}

/**
 * Parses argv (without node and the script) into a command; rejects with a UsageError
 * naming the fix. `lessonCount` (of the course in --lessons, or the shipped one, in the
 * language asked for) is asked for only when --lesson needs checking. `env` gives the
 * locale --lang defaults to.
 */
export async function parseCommand(
	argv: string[],
	lessonCount: (lessons?: string, lang?: CourseLanguage) => number | Promise<number>,
	env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Command> {
	const {values, positionals} = readOptions(argv);
	if (values.help) return {mode: 'help'};
	if (values.version) return {mode: 'version'};
	// A subcommand without options refuses any, naming the first given.
	const refuseOptions = (takes: string) => {
		const [given] = Object.keys(values);
		if (given !== undefined) throw new UsageError(`${takes}; got --${given}.`);
	};

	if (positionals.length === 1 && positionals[0] === 'doctor') {
		refuseOptions('doctor takes no options');
		return {mode: 'doctor'};
	}

	if (positionals[0] === 'check-lessons') {
		refuseOptions('check-lessons takes no options, only a folder: ka-tutorial check-lessons DIR');
		if (positionals.length > 2) throw new UsageError(`check-lessons checks one folder; got ${positionals.length - 1}.`);
		return {mode: 'check-lessons', ...(positionals[1] === undefined ? {} : {dir: positionals[1]})};
	}

	if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== 'lab')) {
		throw new UsageError(`Unknown command "${positionals.join(' ')}". The subcommands are "lab", "doctor" and "check-lessons"; see ka-tutorial --help.`);
	}

	const lab = positionals[0] === 'lab';
	const presetName = values.preset ?? (lab ? 'article' : 'fast');
	if (!isPresetName(presetName)) {
		throw new UsageError(`--preset must be article or fast; got "${presetName}".`);
	}

	const common: Common = {
		params: keepaliveParams(presets[presetName], values),
		sandbox: oneOf('sandbox', values.sandbox, ['netns', 'userns'] as const),
		firewall: oneOf('firewall', values.firewall, ['iptables', 'nft'] as const),
	};
	if (lab) {
		for (const flag of ['lesson', 'lessons', 'lang', 'reset'] as const) {
			if (values[flag] !== undefined) throw new UsageError(`--${flag} is a tutorial option; it does not go with "lab".`);
		}

		if (values.pcap === '') throw new UsageError('--pcap needs a file name.');
		return {
			mode: 'lab',
			...common,
			dropAfter: values['drop-after'] === undefined ? 1 : wholeNumber('drop-after', values['drop-after'], {min: 0, max: 1000}),
			json: values.json ?? false,
			...(values.pcap === undefined ? {} : {pcap: values.pcap}),
		};
	}

	for (const flag of ['drop-after', 'pcap', 'json'] as const) {
		if (values[flag] !== undefined) throw new UsageError(`--${flag} is a lab option: ka-tutorial lab --${flag} …`);
	}

	if (values.lessons === '') throw new UsageError('--lessons needs a folder.');
	const lessons = values.lessons === undefined ? {} : {lessons: values.lessons};
	const lang = courseLanguage(values.lang, env);
	const lesson = values.lesson === undefined ? {} : {lesson: wholeNumber('lesson', values.lesson, {min: 1, max: await lessonCount(values.lessons, lang)})};
	return {mode: 'tutorial', ...common, preset: presetName, reset: values.reset ?? false, lang, ...lessons, ...lesson};
}
