/** Set by whoever starts a lab process (agent or peer): its own pid, which the child's dieWithParent checks. */
export const parentPidVariable = 'KA_LAB_PARENT_PID';

/**
 * Set (to KILL) by whoever starts a lab process through `setpriv --pdeathsig KILL`: the
 * parent-death signal is armed before the child's Node starts, and survives the exec
 * into it, so the child need not ask for it itself (through libc, which costs ffi-rs).
 */
export const deathSignalVariable = 'KA_LAB_DEATH_SIGNAL';

/**
 * This process's environment for a Node program of ours, without NODE_EXTRA_CA_CERTS:
 * Node reads and parses that certificate bundle as it starts (40–80 ms here, in each
 * process), and none of the program's processes makes a TLS connection.
 */
export function nodeEnv(): NodeJS.ProcessEnv {
	const {NODE_EXTRA_CA_CERTS: _, ...env} = process.env;
	return env;
}

/** The environment for a lab process (one that calls dieWithParent). */
export function childEnv(): NodeJS.ProcessEnv {
	return {...nodeEnv(), [parentPidVariable]: String(process.pid)};
}

/**
 * Ends this process if its parent is not the one that started it: that one died before
 * the parent-death signal was armed, so no signal will come.
 */
export function exitIfOrphaned(): void {
	const expected = Number(process.env[parentPidVariable]);
	if (expected > 0 && process.ppid !== expected) process.exit(1);
}
