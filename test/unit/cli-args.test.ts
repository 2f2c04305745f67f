import {describe, expect, it} from 'vitest';
import {parseCommand, UsageError} from '../../source/cli-args.js';

const parse = (...argv: string[]) => parseCommand(argv, 7);

describe('command line', () => {
	it('defaults: the tutorial with the fast preset, the lab with the article values', () => {
		expect(parse()).toEqual({mode: 'tutorial', preset: 'fast', params: {idle: 5, intvl: 2, probes: 3}, sandbox: 'auto', firewall: 'auto'});
		expect(parse('lab')).toEqual({mode: 'lab', params: {idle: 55, intvl: 6, probes: 2}, sandbox: 'auto', firewall: 'auto', dropAfter: 1, json: false});
	});

	it('takes lab flags', () => {
		expect(parse('lab', '--idle', '2', '--intvl', '1', '--probes', '3', '--drop-after', '0', '--pcap', 'x.pcap', '--json', '--firewall', 'nft', '--sandbox', 'userns')).toEqual({
			mode: 'lab',
			params: {idle: 2, intvl: 1, probes: 3},
			sandbox: 'userns',
			firewall: 'nft',
			dropAfter: 0,
			json: true,
			pcap: 'x.pcap',
		});
	});

	it('takes tutorial flags', () => {
		expect(parse('--lesson', '6', '--preset', 'article', '--probes', '4')).toMatchObject({mode: 'tutorial', lesson: 6, preset: 'article', params: {idle: 55, intvl: 6, probes: 4}});
	});

	it.each([
		[['--idle', '0'], "--idle must be from 1 to 32767 seconds (the kernel's range); got 0."],
		[['--lesson', '8'], '--lesson must be a whole number from 1 to 7; got "8".'],
		[['--lesson', '0'], '--lesson must be a whole number from 1 to 7; got "0".'],
		[['--preset', 'slow'], '--preset must be article or fast; got "slow".'],
		[['lab', '--drop-after', 'x'], '--drop-after must be a whole number from 0 to 1000; got "x".'],
		[['lab', '--lesson', '2'], '--lesson is a tutorial option; it does not go with "lab".'],
		[['--json'], '--json is a lab option: ka-tutorial lab --json …'],
		[['--firewall', 'tc'], '--firewall must be one of auto, iptables, nft; got "tc".'],
		[['labs'], 'Unknown command "labs". The only subcommand is "lab"; see ka-tutorial --help.'],
	])('refuses %j', (argv, message) => {
		expect(() => parse(...argv)).toThrow(new UsageError(message));
	});

	it('refuses unknown flags, pointing to --help', () => {
		expect(() => parse('--idel', '3')).toThrow(/Unknown option '--idel'.*See ka-tutorial --help/);
	});

	it('help and version win', () => {
		expect(parse('lab', '-h')).toEqual({mode: 'help'});
		expect(parse('--version')).toEqual({mode: 'version'});
	});
});
