/** Set by whoever starts a lab process (agent or peer): its own pid, which the child's dieWithParent checks. */
export const parentPidVariable = 'KA_LAB_PARENT_PID';

/** The environment for a child that calls dieWithParent. */
export function childEnv(): NodeJS.ProcessEnv {
	return {...process.env, [parentPidVariable]: String(process.pid)};
}
