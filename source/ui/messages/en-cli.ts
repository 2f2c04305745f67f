import type {Language} from '../../lessons/language.js';

/*
 * The command line's words in English: --help and the usage errors. The texts name flags
 * and values as typed; a range comes as numbers and a unit, so that each language says it
 * its own way.
 */

/** A whole number's range as a usage error names it: `from 1 to 32767 seconds (the kernel's range)`. */
export type RangeWords = {min: number; max: number; unit?: 'seconds' | 'ms'; whose?: 'kernel' | 'zero-off'};

const unitWords = {seconds: ' seconds', ms: ' ms'} as const;
const whoseWords = {kernel: " (the kernel's range)", 'zero-off': ' (0 = off)'} as const;
const range = ({min, max, unit}: RangeWords) => `from ${min} to ${max}${unit === undefined ? '' : unitWords[unit]}`;
const flags = (names: readonly string[]) => names.map(name => `--${name}`).join(', ');

export const cliEn = {
	usage: `ka-tutorial — learn how TCP keepalive really works on Linux, by running it

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
  ka-tutorial verify EXERCISE --idle S --intvl S --probes N [--json]
                                 runs an exercise on the real lab with these
                                 values: the timeline and the verdict, exit 0
                                 on pass, 1 on fail (also --lessons, --lang,
                                 --sandbox, --firewall)
  ka-tutorial verify --list      the exercises: ids and goals

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
  --scenario NAME         what goes wrong: drop (default), busy, frozen, nat
  --list-scenarios        the scenarios, one line each, and exit
  --user-timeout MS       TCP_USER_TIMEOUT on the server's socket, 0..3600000 ms
  --nat-timeout S         nat: how long the router remembers an idle
                          connection, 2..3600 seconds (default 6)
                          (0 = off; the lab's limit, the kernel's is 2^31 − 1)

Sandbox and firewall (normally chosen for you)
  --sandbox auto|netns|userns   netns needs root; userns works as a normal user
  --firewall auto|iptables|nft  the tool that drops the client's packets

  -h, --help              this help
  -v, --version           the version
`,
	unknownOption: (raw: string) => `unknown option ${raw}. See ka-tutorial --help.`,
	givenTwice: (name: string) => `--${name} is given twice; give it once.`,
	takesNoValue: (name: string, value: string) => `--${name} takes no value; got "${value}".`,
	needsValue: (name: string) => `--${name} needs a value. See ka-tutorial --help.`,
	needsFolder: (name: string) => `--${name} needs a folder.`,
	needsFile: (name: string) => `--${name} needs a file name.`,
	oneOf: (name: string, allowed: readonly string[], value: string) => `--${name} must be one of ${allowed.join(', ')}; got "${value}".`,
	presetOneOf: (value: string) => `--preset must be article or fast; got "${value}".`,
	scenarioOneOf: (names: readonly string[], value: string) => `--scenario must be one of ${names.join(', ')}; got "${value}". See ka-tutorial lab --list-scenarios.`,
	notWhole: (name: string, words: RangeWords, text: string) => `--${name} must be a whole number ${range(words)}; got "${text}".`,
	outOfRange: (name: string, words: RangeWords, text: string) =>
		`--${name} must be ${range(words)}${words.whose === undefined ? '' : whoseWords[words.whose]}; got ${text}.`,
	noOptions: (command: 'doctor' | 'check-lessons', given: string) =>
		`${command === 'doctor' ? 'doctor takes no options' : 'check-lessons takes no options, only a folder: ka-tutorial check-lessons DIR'}; got --${given}.`,
	oneFolder: (count: number) => `check-lessons checks one folder; got ${count}.`,
	unknownCommand: (words: string) => `Unknown command "${words}". The subcommands are "lab", "doctor", "check-lessons" and "verify"; see ka-tutorial --help.`,
	tutorialOnly: (name: string) => `--${name} is a tutorial option; it does not go with "lab".`,
	labOnly: (name: string) => `--${name} is a lab option: ka-tutorial lab --${name} …`,
	dropsNothing: (scenario: string) => `--drop-after does not go with --scenario ${scenario}: it drops nothing.`,
	noRouter: (scenario: string) => `--nat-timeout goes with --scenario nat only: ${scenario} has no router.`,
	notWithVerify: (name: string, takes: readonly string[]) => `--${name} does not go with "verify" (it takes ${flags(takes)}, or --list).`,
	listTakesNothing: (got: string) => `verify --list lists the exercises; it takes no exercise and no values (only --lessons, --lang); got ${got}.`,
	verifyNeedsExercise: 'verify needs an exercise: ka-tutorial verify EXERCISE --idle S --intvl S --probes N (ka-tutorial verify --list shows them).',
	oneExercise: (exercises: readonly string[]) => `verify checks one exercise at a time; got ${exercises.join(', ')}.`,
	valuesMissing: (names: readonly string[]) => `verify needs the values to try: ${flags(names)} ${names.length === 1 ? 'is' : 'are'} missing.`,
	noTranslation: (code: Language, dir: string, manifest: string) =>
		`--lang ${code}: ${dir} has no ${code} translation (no ${code}/${manifest} in it); leave out --lang for the course as written.`,
};

export type CliMessages = typeof cliEn;
