/**
 * Bad input through the built CLI (`npm run build`): refused before anything starts, with
 * one clean message and exit 2; and a capture file that cannot be written, found out
 * before the lab starts, or reported cleanly when writing it fails later.
 */
import {execFileSync} from 'node:child_process';
import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {cliPath, parseEvents, startCli} from '../helpers/cli.js';
import {readPcap} from '../helpers/pcap-read.js';
import {asNobody, where} from '../helpers/privilege.js';
import {expectNothingLeft, untilEnded} from './leftover-check.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'ka-bad-input-'));
chmodSync(scratch, 0o755);

afterAll(() => {
	rmSync(scratch, {recursive: true, force: true});
});

/** Runs the CLI to its end, noting every process it started. */
async function run(args: string[], prefix: string[] = []) {
	expect(existsSync(cliPath), 'run `npm run build` first').toBe(true);
	const cli = startCli(args, {prefix});
	const {code, started} = await untilEnded(cli, 20_000, `ka-tutorial ${args.join(' ')} to end`);
	return {code, stdout: cli.lines, stderr: cli.stderr(), started};
}

async function expectRefused(args: string[], message: string | RegExp, prefix: string[] = []): Promise<void> {
	const {code, stdout, stderr, started} = await run(args, prefix);
	expect(code, stderr).toBe(2);
	expect(stdout).toEqual([]);
	const lines = stderr.trimEnd().split('\n');
	expect(lines).toHaveLength(1);
	if (typeof message === 'string') expect(lines[0]).toBe(`ka-tutorial: ${message}`);
	else expect(lines[0]).toMatch(message);
	// Refused before anything started: no lab, no namespace.
	expect([...started]).toEqual([]);
}

describe('bad flags through the real CLI', () => {
	it.each([
		[['--idle', '-1'], "--idle must be from 1 to 32767 seconds (the kernel's range); got -1."],
		[['lab', '--intvl', '-3'], "--intvl must be from 1 to 32767 seconds (the kernel's range); got -3."],
		[['lab', '--probes', '-1'], "--probes must be from 1 to 127 (the kernel's range); got -1."],
		[['lab', '--drop-after', '-1'], '--drop-after must be from 0 to 1000; got -1.'],
		[['--idle', '99999999999999999999'], "--idle must be from 1 to 32767 seconds (the kernel's range); got 99999999999999999999."],
		[['--foo'], 'unknown option --foo. See ka-tutorial --help.'],
		[['lab', '--idle', '3', '--idle', '4'], '--idle is given twice; give it once.'],
		[['--preset', 'article', '--preset', 'fast'], '--preset is given twice; give it once.'],
		[['lab', '--pcap', ''], '--pcap needs a file name.'],
	])('refuses %j', async (args, message) => {
		await expectRefused(args, message);
	});

	it.each([['0'], ['-2'], ['abc'], ['1.5'], [''], ['99']])('names the course\'s real range for --lesson %j', async lesson => {
		const {stderr} = await run(['--lesson', lesson]);
		expect(stderr).toMatch(/^ka-tutorial: --lesson must be (a whole number )?from 1 to \d+; got /);
		expect(stderr).not.toContain('Infinity');
	});

	it('ends --version with a newline', () => {
		expect(execFileSync(process.execPath, [cliPath, '--version'], {encoding: 'utf8'})).toMatch(/^\d+\.\d+\.\d+\n$/);
	});
});

describe('a --pcap file that cannot be written is refused before the lab starts', () => {
	it('in a directory that does not exist', async () => {
		await expectRefused(['lab', '--pcap', path.join(scratch, 'nowhere', 'x.pcap')], `cannot write the capture to ${path.join(scratch, 'nowhere', 'x.pcap')}: the directory ${path.join(scratch, 'nowhere')} does not exist.`);
	});

	it('that is a directory', async () => {
		await expectRefused(['lab', '--pcap', scratch], `cannot write the capture to ${scratch}: it is a directory; give a file name.`);
	});

	it('on a full device (/dev/full)', async () => {
		await expectRefused(['lab', '--pcap', '/dev/full'], 'cannot write the capture to /dev/full: no space left on the device.');
	});

	where('nobody').it('where the user may not write', async () => {
		const file = path.join(scratch, 'x.pcap');
		await expectRefused(['lab', '--pcap', file], `cannot write the capture to ${file}: permission denied.`, asNobody);
		expect(existsSync(file)).toBe(false);
	});

	where('root').it('on a read-only file system', async () => {
		const dir = mkdtempSync(path.join(scratch, 'ro-'));
		const readOnly = ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', `mount -t tmpfs -o ro none '${dir}' && exec "$@"`, 'sh'];
		await expectRefused(['lab', '--pcap', path.join(dir, 'x.pcap')], `cannot write the capture to ${path.join(dir, 'x.pcap')}: the file system is read-only.`, readOnly);
	});
});

where('sandbox', 'firewall').it('reports a capture file that can no longer be written mid-run as a lab error, and leaves nothing', async () => {
	// A file size limit of 512 bytes, room for the header and a few frames; the next write fails with EFBIG
	// (Node ignores SIGXFSZ), as one to a full disk fails with ENOSPC.
	const file = path.join(scratch, 'small.pcap');
	const cli = startCli(['lab', '--json', '--idle', '1', '--intvl', '1', '--probes', '3', '--pcap', file], {prefix: ['prlimit', '--fsize=512']});
	const {code, started} = await untilEnded(cli, 30_000, 'the run to end');
	const events = parseEvents(cli.lines);
	const error = events.find(event => event.type === 'lab' && event.event === 'error');
	expect(error).toMatchObject({message: `could not write the capture file ${file}: EFBIG: file too large, write`});
	expect(events.at(-1)).toMatchObject({type: 'summary', ok: false, failure: expect.stringMatching(/^could not write the capture file/)});
	expect(code).toBe(1);
	expect(cli.stderr()).toBe('');
	// What was written is whole records: the header and the frames up to the limit.
	expect(statSync(file).size).toBeLessThanOrEqual(512);
	expect(readPcap(readFileSync(file)).records.length).toBeGreaterThanOrEqual(3);
	await expectNothingLeft(started);
});
