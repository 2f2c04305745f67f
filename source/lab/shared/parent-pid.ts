/** Set by whoever starts a lab process (agent or peer): its own pid, which the child's dieWithParent checks. */
export const parentPidVariable = 'KA_LAB_PARENT_PID';

/**
 * Set (to KILL) by whoever starts a lab process through `setpriv --pdeathsig KILL`: the
 * parent-death signal is armed before the child's Node starts, and survives the exec
 * into it, so the child need not ask for it itself (through libc, which costs ffi-rs).
 */
export const deathSignalVariable = 'KA_LAB_DEATH_SIGNAL';

/**
 * The environment for a lab process (one that calls dieWithParent). Without
 * NODE_EXTRA_CA_CERTS: Node reads and parses that certificate bundle as it starts
 * (about 80 ms here, in each process), and no lab process makes a TLS connection.
 */
export function childEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env, [parentPidVariable]: String(process.pid)};
	delete env['NODE_EXTRA_CA_CERTS'];
	return env;
}

/**
 * Ends this process if its parent is not the one that started it: that one died before
 * the parent-death signal was armed, so no signal will come.
 */
export function exitIfOrphaned(): void {
	const expected = Number(process.env[parentPidVariable]);
	if (expected > 0 && process.ppid !== expected) process.exit(1);
}
