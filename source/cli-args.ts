import {parseArgs} from 'node:util';
import type {FirewallTool, SandboxKind} from './lab/events.js';
import {isPresetName, type KeepaliveParams, parseParams, type PresetName, presets} from './lab/params.js';

export const usage = `ka-tutorial — learn how TCP keepalive really works on Linux, by running it

Usage
  ka-tutorial [options]          the interactive tutorial (needs a terminal)
  ka-tutorial lab [options]      one experiment, headless: connect, keepalive,
                                 firewall drop, RST; prints the timeline

Keepalive values (checked against the kernel's ranges)
  --preset article|fast   article: idle 55 s, intvl 6 s, probes 2 (default for lab)
                          fast: idle 5 s, intvl 2 s, probes 3 (default for the tutorial)
  --idle S                TCP_KEEPIDLE, 1..32767 seconds
  --intvl S               TCP_KEEPINTVL, 1..32767 seconds
  --probes N              TCP_KEEPCNT, 1..127

Tutorial
  --lesson N              start at lesson N

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
	| ({mode: 'lab'; dropAfter: number; pcap?: string; json: boolean} & Common)
	| ({mode: 'tutorial'; lesson?: number; preset: PresetName} & Common);

export class UsageError extends Error {}

const options = {
	preset: {type: 'string'},
	idle: {type: 'string'},
	intvl: {type: 'string'},
	probes: {type: 'string'},
	lesson: {type: 'string'},
	'drop-after': {type: 'string'},
	pcap: {type: 'string'},
	json: {type: 'boolean'},
	sandbox: {type: 'string'},
	firewall: {type: 'string'},
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'v'},
} as const;

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | 'auto' {
	if (value === undefined || value === 'auto') return 'auto';
	if ((allowed as readonly string[]).includes(value)) return value as T;
	throw new UsageError(`--${flag} must be one of auto, ${allowed.join(', ')}; got "${value}".`);
}

function wholeNumber(flag: string, value: string, min: number, max?: number): number {
	const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
	if (Number.isNaN(number) || number < min || (max !== undefined && number > max)) {
		const range = max === undefined ? `${min} or more` : `from ${min} to ${max}`;
		throw new UsageError(`--${flag} must be a whole number ${range}; got "${value}".`);
	}

	return number;
}

/** Parses argv (without node and the script) into a command; throws UsageError with a message naming the fix. */
export function parseCommand(argv: string[], lessonCount: number): Command {
	let parsed;
	try {
		parsed = parseArgs({args: argv, options, allowPositionals: true, strict: true});
	} catch (error) {
		throw new UsageError(`${(error as Error).message}. See ka-tutorial --help.`);
	}

	const {values, positionals} = parsed;
	if (values.help) return {mode: 'help'};
	if (values.version) return {mode: 'version'};
	if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== 'lab')) {
		throw new UsageError(`Unknown command "${positionals.join(' ')}". The only subcommand is "lab"; see ka-tutorial --help.`);
	}

	const lab = positionals[0] === 'lab';
	const presetName = values.preset ?? (lab ? 'article' : 'fast');
	if (!isPresetName(presetName)) {
		throw new UsageError(`--preset must be article or fast; got "${presetName}".`);
	}

	const params = parseParams(presets[presetName], {idle: values.idle, intvl: values.intvl, probes: values.probes});
	if ('errors' in params) throw new UsageError(params.errors.join('\n'));
	const common: Common = {
		params,
		sandbox: oneOf('sandbox', values.sandbox, ['netns', 'userns'] as const),
		firewall: oneOf('firewall', values.firewall, ['iptables', 'nft'] as const),
	};
	if (lab) {
		if (values.lesson !== undefined) throw new UsageError('--lesson is a tutorial option; it does not go with "lab".');
		return {
			mode: 'lab',
			...common,
			dropAfter: values['drop-after'] === undefined ? 1 : wholeNumber('drop-after', values['drop-after'], 0, 1000),
			json: values.json ?? false,
			...(values.pcap === undefined ? {} : {pcap: values.pcap}),
		};
	}

	for (const flag of ['drop-after', 'pcap', 'json'] as const) {
		if (values[flag] !== undefined) throw new UsageError(`--${flag} is a lab option: ka-tutorial lab --${flag} …`);
	}

	return {
		mode: 'tutorial',
		...common,
		preset: presetName,
		...(values.lesson === undefined ? {} : {lesson: wholeNumber('lesson', values.lesson, 1, lessonCount)}),
	};
}
