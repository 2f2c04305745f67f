import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {LabStartError} from '../../source/lab/host/lab-types.js';
import {LabUnavailable} from '../../source/ui/lab/LabUnavailable.js';
import {columns, renderThemed, rows} from '../helpers/ink.js';

afterEach(() => {
	cleanup();
});

describe('LabUnavailable', () => {
	const error = new LabStartError(
		'unprivileged user namespaces are switched off on this machine (kernel.apparmor_restrict_unprivileged_userns=1)',
		'run `sudo ka-tutorial`, or allow them: sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0',
	);

	it('explains why the lab cannot run, how to fix it, and that the lessons still work', () => {
		const {lastFrame} = renderThemed(<LabUnavailable error={error} width={44} />);
		const frame = (lastFrame() ?? '').replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');
		expect(frame).toContain('The live lab cannot run here');
		expect(frame).toContain('unprivileged user namespaces are switched off');
		expect(frame).toContain('To fix it:');
		expect(frame).toContain('sudo ka-tutorial');
		expect(frame).toContain("The lessons' text still works");
	});

	it('fits its width', () => {
		const {lastFrame} = renderThemed(<LabUnavailable error={error} width={44} />);
		for (const line of rows(lastFrame())) expect(columns(line)).toBeLessThanOrEqual(44);
	});
});
