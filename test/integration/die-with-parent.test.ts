import {spawnSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {parentPidVariable} from '../../source/lab/shared/parent-pid.js';
import {builtFile} from '../../source/package-paths.js';

/** The client as the lab starts it (the bundle's). */
const client = builtFile('client.js');

describe('a lab process whose parent is already gone when it starts', () => {
	it('ends at once instead of living on as an orphan (the parent-death signal came too late to be asked for)', () => {
		// The parent it was told of is not its parent: the one that started it has died meanwhile.
		const orphan = spawnSync(process.execPath, [client, '6699', '{}'], {env: {...process.env, [parentPidVariable]: '999999999'}, timeout: 10_000});
		expect(orphan.status).toBe(1);
		expect(orphan.signal).toBeNull();
	});

	it('runs normally under the parent it was told of', () => {
		// Told of this process, it waits for its `connect` command; a closed stdin ends it quietly.
		const child = spawnSync(process.execPath, [client, '6699', '{}'], {env: {...process.env, [parentPidVariable]: String(process.pid)}, input: '', timeout: 10_000});
		expect(child.stdout.toString()).toContain('"ev":"listening"');
	});
});
