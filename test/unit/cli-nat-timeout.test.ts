import {expect, it} from 'vitest';
import {parseCommand, UsageError} from '../../source/cli-args.js';
import {presets} from '../../source/lab/shared/params.js';

const parse = async (...argv: string[]) => parseCommand(argv, () => 7, {});

it('lab --scenario nat: the fast preset unless told, and --nat-timeout in whole seconds for nat only', async () => {
	expect(await parse('lab', '--scenario', 'nat')).toMatchObject({mode: 'lab', scenario: 'nat', params: presets.fast});
	expect(await parse('lab', '--scenario', 'nat')).not.toHaveProperty('natTimeout');
	expect(await parse('lab', '--scenario', 'nat', '--preset', 'article')).toMatchObject({params: presets.article});
	expect(await parse('lab', '--scenario', 'nat', '--nat-timeout', '4', '--idle', '2')).toMatchObject({natTimeout: 4, params: {idle: 2}});
	await expect(parse('lab', '--scenario', 'nat', '--nat-timeout', '1')).rejects.toThrow('--nat-timeout must be from 2 to 3600 seconds');
	await expect(parse('lab', '--nat-timeout', '4')).rejects.toThrow(new UsageError('--nat-timeout goes with --scenario nat only: drop has no router.'));
	await expect(parse('--nat-timeout', '4')).rejects.toThrow(UsageError);
});
