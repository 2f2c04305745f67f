/** One line of the doctor's report. */
export type Check = {
	/** `warn` never fails the run: the tutorial works, maybe less well. */
	status: 'ok' | 'warn' | 'fail';
	/** What was checked, e.g. "firewall". */
	name: string;
	/** What was found. */
	detail: string;
	/** What to do about it: what to install or which switch to flip. */
	fix?: string;
};

/** Whether the full tutorial will work: nothing failed (warnings allowed). */
export function allPassed(checks: readonly Check[]): boolean {
	return checks.every(check => check.status !== 'fail');
}
