import {describe, expect, it} from 'vitest';
import {parseCommand, usage, UsageError} from '../../source/cli-args.js';

// No locale: --lang defaults to en, whatever the machine running the tests says.
const parse = async (...argv: string[]) => parseCommand(argv, () => 7, {});

describe('command line', () => {
	it('defaults: the tutorial with the fast preset, the lab with the article values', async () => {
		expect(await parse()).toEqual({
			mode: 'tutorial',
			preset: 'fast',
			params: {idle: 5, intvl: 2, probes: 3},
			sandbox: 'auto',
			firewall: 'auto',
			reset: false,
			lang: {code: 'en', from: 'locale'},
		});
		expect(await parse('lab')).toEqual({mode: 'lab', scenario: 'drop', params: {idle: 55, intvl: 6, probes: 2}, sandbox: 'auto', firewall: 'auto', dropAfter: 1, json: false});
	});

	it('takes lab flags', async () => {
		expect(await parse('lab', '--idle', '2', '--intvl', '1', '--probes', '3', '--drop-after', '0', '--pcap', 'x.pcap', '--json', '--firewall', 'nft', '--sandbox', 'userns')).toEqual({
			mode: 'lab',
			scenario: 'drop',
			params: {idle: 2, intvl: 1, probes: 3},
			sandbox: 'userns',
			firewall: 'nft',
			dropAfter: 0,
			json: true,
			pcap: 'x.pcap',
		});
	});

	it('takes doctor, which has no options', async () => {
		expect(await parse('doctor')).toEqual({mode: 'doctor'});
		expect(await parse('doctor', '--help')).toEqual({mode: 'help', lang: 'en'});
	});

	it('takes check-lessons, with a folder or without', async () => {
		expect(await parse('check-lessons')).toEqual({mode: 'check-lessons'});
		expect(await parse('check-lessons', 'my-course')).toEqual({mode: 'check-lessons', dir: 'my-course'});
	});

	it('takes a course folder for the tutorial, and checks --lesson against that course', async () => {
		const asked: Array<string | undefined> = [];
		const command = await parseCommand(['--lessons', 'my-course', '--lesson', '2'], lessons => {
			asked.push(lessons);
			return 3;
		});
		expect(command).toMatchObject({mode: 'tutorial', lessons: 'my-course', lesson: 2});
		expect(asked).toEqual(['my-course']);
	});

	it('takes --lang zh|en for the tutorial, and asks for the course in that language to check --lesson', async () => {
		expect(await parse('--lang', 'zh')).toMatchObject({mode: 'tutorial', lang: {code: 'zh', from: 'flag'}});
		expect(await parse('--lang=en')).toMatchObject({mode: 'tutorial', lang: {code: 'en', from: 'flag'}});
		const asked: unknown[] = [];
		await parseCommand(['--lang', 'zh', '--lesson', '6'], (lessons, lang) => {
			asked.push([lessons, lang]);
			return 7;
		}, {});
		expect(asked).toEqual([[undefined, {code: 'zh', from: 'flag'}]]);
		expect(usage).toMatch(/^ {2}--lang zh\|en {12}the course's language/m);
	});

	it.each([
		[{LANG: 'zh_CN.UTF-8'}, 'zh'],
		[{LANG: 'zh_TW.UTF-8'}, 'zh'],
		[{LANG: 'en_US.UTF-8'}, 'en'],
		[{LANG: 'de_DE.UTF-8'}, 'en'],
		[{LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8'}, 'zh'],
		[{LC_ALL: 'zh_CN.UTF-8', LC_MESSAGES: 'en_US.UTF-8'}, 'zh'],
		// The first one set decides, as for a program's messages: LC_ALL=C means C, not LANG's Chinese.
		[{LC_ALL: 'C', LANG: 'zh_CN.UTF-8'}, 'en'],
		[{LC_ALL: '', LANG: 'zh_CN.UTF-8'}, 'zh'],
		[{}, 'en'],
	])('takes --lang from the locale when it is not given: %j → %s', async (env, code) => {
		expect(await parseCommand([], () => 7, env)).toMatchObject({lang: {code, from: 'locale'}});
	});

	it('lets --lang win over the locale', async () => {
		expect(await parseCommand(['--lang', 'en'], () => 7, {LANG: 'zh_CN.UTF-8'})).toMatchObject({lang: {code: 'en', from: 'flag'}});
	});

	it('takes --reset for the tutorial: start over, forgetting the saved progress', async () => {
		expect(await parse('--reset')).toMatchObject({mode: 'tutorial', reset: true});
		expect(await parse('--reset', '--lesson', '3')).toMatchObject({mode: 'tutorial', reset: true, lesson: 3});
		expect(usage).toMatch(/^ {2}--reset {17}start over: forget the saved progress/m);
	});

	it('takes tutorial flags', async () => {
		expect(await parse('--lesson', '6', '--preset', 'article', '--probes', '4')).toMatchObject({mode: 'tutorial', lesson: 6, preset: 'article', params: {idle: 55, intvl: 6, probes: 4}});
	});

	it.each([
		[['--idle', '0'], "--idle must be from 1 to 32767 seconds (the kernel's range); got 0."],
		[['--lesson', '8'], '--lesson must be from 1 to 7; got 8.'],
		[['--lesson', '0'], '--lesson must be from 1 to 7; got 0.'],
		[['--lesson', 'abc'], '--lesson must be a whole number from 1 to 7; got "abc".'],
		[['--lesson', '1.5'], '--lesson must be a whole number from 1 to 7; got "1.5".'],
		[['--lesson', ''], '--lesson must be a whole number from 1 to 7; got "".'],
		// Negative numbers get the range, not parseArgs' "ambiguous argument".
		[['--idle', '-1'], "--idle must be from 1 to 32767 seconds (the kernel's range); got -1."],
		[['--intvl', '-3'], "--intvl must be from 1 to 32767 seconds (the kernel's range); got -3."],
		[['--probes', '-1'], "--probes must be from 1 to 127 (the kernel's range); got -1."],
		[['--lesson', '-2'], '--lesson must be from 1 to 7; got -2.'],
		[['lab', '--drop-after', '-1'], '--drop-after must be from 0 to 1000; got -1.'],
		[['lab', '--drop-after', '-0'], '--drop-after must be from 0 to 1000; got -0.'],
		[['--idle', '-1.5'], '--idle must be a whole number from 1 to 32767 seconds; got "-1.5".'],
		// Echoed as typed, not as the number JavaScript makes of it.
		[['--idle', '99999999999999999999'], "--idle must be from 1 to 32767 seconds (the kernel's range); got 99999999999999999999."],
		[['--idle', '0', '--probes', '200'], "--idle must be from 1 to 32767 seconds (the kernel's range); got 0.\n--probes must be from 1 to 127 (the kernel's range); got 200."],
		[['--foo'], 'unknown option --foo. See ka-tutorial --help.'],
		[['lab', '-x'], 'unknown option -x. See ka-tutorial --help.'],
		[['--idle', '3', '--idle', '4'], '--idle is given twice; give it once.'],
		[['--preset', 'article', '--preset', 'fast'], '--preset is given twice; give it once.'],
		[['lab', '--json', '--json'], '--json is given twice; give it once.'],
		[['--idle'], '--idle needs a value. See ka-tutorial --help.'],
		[['--idle', '--probes', '3'], '--idle needs a value. See ka-tutorial --help.'],
		[['lab', '--json=yes'], '--json takes no value; got "yes".'],
		[['lab', '--pcap', ''], '--pcap needs a file name.'],
		[['lab', '--pcap='], '--pcap needs a file name.'],
		[['--preset', 'slow'], '--preset must be article or fast; got "slow".'],
		[['lab', '--drop-after', 'x'], '--drop-after must be a whole number from 0 to 1000; got "x".'],
		[['lab', '--lesson', '2'], '--lesson is a tutorial option; it does not go with "lab".'],
		[['--json'], '--json is a lab option: ka-tutorial lab --json …'],
		[['--firewall', 'tc'], '--firewall must be one of auto, iptables, nft; got "tc".'],
		[['labs'], 'Unknown command "labs". The subcommands are "lab", "doctor", "check-lessons" and "verify"; see ka-tutorial --help.'],
		[['doctor', '--json'], 'doctor takes no options; got --json.'],
		[['check-lessons', '--lessons', 'x'], 'check-lessons takes no options, only a folder: ka-tutorial check-lessons DIR; got --lessons.'],
		[['check-lessons', 'a', 'b'], 'check-lessons checks one folder; got 2.'],
		[['lab', '--lessons', 'x'], '--lessons is a tutorial option; it does not go with "lab".'],
		[['lab', '--reset'], '--reset is a tutorial option; it does not go with "lab".'],
		[['--reset=yes'], '--reset takes no value; got "yes".'],
		[['--reset', '--reset'], '--reset is given twice; give it once.'],
		[['--lessons', ''], '--lessons needs a folder.'],
		[['--lang', 'fr'], '--lang must be one of en, zh; got "fr".'],
		[['--lang', 'zh_CN'], '--lang must be one of en, zh; got "zh_CN".'],
		[['--lang='], '--lang must be one of en, zh; got "".'],
		[['--lang'], '--lang needs a value. See ka-tutorial --help.'],
		[['lab', '--lang', 'en'], '--lang is a tutorial option; it does not go with "lab".'],
		[['check-lessons', '--lang', 'en'], 'check-lessons takes no options, only a folder: ka-tutorial check-lessons DIR; got --lang.'],
		[['doctor', 'lab'], 'Unknown command "doctor lab". The subcommands are "lab", "doctor", "check-lessons" and "verify"; see ka-tutorial --help.'],
	])('refuses %j', async (argv, message) => {
		await expect(parse(...argv)).rejects.toThrow(new UsageError(message));
	});

	it('takes a value that starts with a dash after =, and as the next word when it is a number', async () => {
		await expect(parse('lab', '--pcap=-x.pcap')).resolves.toMatchObject({pcap: '-x.pcap'});
		await expect(parse('--idle=-1')).rejects.toThrow(/got -1\.$/);
	});

	it('loads the course only to check --lesson', async () => {
		let asked = 0;
		const count = () => {
			asked++;
			return 7;
		};

		await parseCommand(['lab'], count);
		await parseCommand(['--idle', '3'], count);
		expect(asked).toBe(0);
		await parseCommand(['--lesson', '2'], count);
		expect(asked).toBe(1);
	});

	it('help and version win', async () => {
		expect(await parse('lab', '-h')).toEqual({mode: 'help', lang: 'en'});
		expect(await parse('--version')).toEqual({mode: 'version'});
	});
});
