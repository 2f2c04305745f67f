import {describe, expect, it} from 'vitest';
import {parseCommand, usage, UsageError} from '../../source/cli-args.js';
import {scenarioList, scenarioNames, scenarioProblem, scenarios} from '../../source/lab/scenarios/scenarios.js';

const parse = async (...argv: string[]) => parseCommand(argv, () => 7, {});

describe('lab --scenario, --list-scenarios, --user-timeout', () => {
	it('takes a scenario, with its own default for --drop-after', async () => {
		expect(await parse('lab', '--scenario', 'busy')).toMatchObject({mode: 'lab', scenario: 'busy', dropAfter: 0});
		expect(await parse('lab', '--scenario', 'busy', '--drop-after', '2')).toMatchObject({scenario: 'busy', dropAfter: 2});
		expect(await parse('lab', '--scenario', 'frozen')).toMatchObject({scenario: 'frozen'});
		expect(await parse('lab')).toMatchObject({scenario: 'drop', dropAfter: 1});
	});

	it('refuses an unknown scenario, naming the known ones', async () => {
		await expect(parse('lab', '--scenario', 'late')).rejects.toThrow(new UsageError('--scenario must be one of drop, busy, frozen, nat; got "late". See ka-tutorial lab --list-scenarios.'));
	});

	it('refuses --drop-after where the scenario drops nothing', async () => {
		await expect(parse('lab', '--scenario', 'frozen', '--drop-after', '1')).rejects.toThrow('--drop-after does not go with --scenario frozen');
	});

	it('takes a user timeout in whole milliseconds, 0 to 3600000, and names the range', async () => {
		expect(await parse('lab', '--user-timeout', '3000')).toMatchObject({userTimeout: 3000});
		expect(await parse('lab', '--user-timeout', '0')).toMatchObject({userTimeout: 0});
		expect(await parse('lab')).not.toHaveProperty('userTimeout');
		await expect(parse('lab', '--user-timeout', '3600001')).rejects.toThrow(new UsageError('--user-timeout must be from 0 to 3600000 ms (0 = off); got 3600001.'));
		await expect(parse('lab', '--user-timeout', '-1')).rejects.toThrow('--user-timeout must be from 0 to 3600000 ms');
		await expect(parse('lab', '--user-timeout', '1.5')).rejects.toThrow(new UsageError('--user-timeout must be a whole number from 0 to 3600000 ms; got "1.5".'));
	});

	it('lists the scenarios, one line each', async () => {
		expect(await parse('lab', '--list-scenarios')).toEqual({mode: 'list-scenarios'});
		const lines = scenarioList().split('\n');
		expect(lines.map(line => line.split(' ')[0])).toEqual(scenarioNames);
		for (const [i, name] of scenarioNames.entries()) expect(lines[i]).toContain(`— ${scenarios[name].shows}`);
	});

	it('keeps the new flags to the lab', async () => {
		for (const flag of ['--scenario', '--user-timeout']) await expect(parse(flag, 'busy')).rejects.toThrow(`${flag} is a lab option`);
		await expect(parse('--list-scenarios')).rejects.toThrow('--list-scenarios is a lab option');
	});

	it('says the flags and the range in the usage', () => {
		expect(usage).toContain('--scenario NAME');
		expect(usage).toContain('--list-scenarios');
		expect(usage).toContain('--user-timeout MS');
	});
});

describe('scenario names for a lesson', () => {
	it('accepts every name and says what is wrong with any other', () => {
		for (const name of scenarioNames) expect(scenarioProblem(name)).toBeUndefined();
		expect(scenarioProblem('Drop')).toBe('unknown scenario "Drop"; the scenarios are drop, busy, frozen, nat');
	});

	it('has a drop for every scenario that drops, and none where there is no drop', () => {
		for (const name of scenarioNames) expect(scenarios[name].dropAfter === null).toBe(scenarios[name].fault !== 'drop');
	});
});
