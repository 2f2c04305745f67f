import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll} from 'vitest';

/*
 * The tutorial unsets CI before Ink loads when it runs on a terminal (source/tutorial.tsx):
 * with CI set, Ink draws only the last frame, at exit. The component tests render what a
 * learner's terminal shows, so they load Ink the same way, also when CI runs them.
 */
delete process.env['CI'];
delete process.env['CONTINUOUS_INTEGRATION'];

/*
 * The tutorial saves the learner's progress. Every tutorial a test starts (in-process or
 * in a terminal, which inherits this environment) keeps it in a folder of this test file's
 * own, never in the real ~/.config, so that no run resumes where another left off.
 */
const configDir = mkdtempSync(path.join(tmpdir(), 'ka-test-config-'));
process.env['KA_TUTORIAL_CONFIG_DIR'] = configDir;
afterAll(() => {
	rmSync(configDir, {recursive: true, force: true});
});
