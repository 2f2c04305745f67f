/**
 * The lab's agent as a process of its own, which the host starts inside a private
 * network namespace through unshare (the user-namespace sandbox, and any host that
 * runs several labs at once). Config as JSON in argv[2]; commands on stdin and
 * messages on stdout, one JSON object per line (agent-protocol.ts).
 */
import {createInterface} from 'node:readline';
import type {AgentCommand, AgentConfig, AgentMessage} from '../shared/agent-protocol.js';
import {startEarly} from './early-start.js';

const config = JSON.parse(process.argv[2] ?? '{}') as AgentConfig;
const started = await startEarly(config, async () => {
	// libc (ffi-rs) is the agent's heaviest load; the parent-death signal comes first once it is there.
	const {dieWithParent} = await import('../shared/libc.js');
	dieWithParent();
});
const {runAgent} = await import('./lab-agent.js');
const command = runAgent(config, started, {
	emit(message: AgentMessage) {
		process.stdout.write(JSON.stringify(message) + '\n');
	},
	exit: code => process.exit(code),
});
createInterface({input: process.stdin})
	.on('line', line => command(JSON.parse(line) as AgentCommand))
	.on('close', () => command({cmd: 'stop'})); // the host is gone: leave nothing behind
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => command({cmd: 'stop'}));
