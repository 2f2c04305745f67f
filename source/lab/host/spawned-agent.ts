import {spawn} from 'node:child_process';
import {builtFile} from '../../package-paths.js';
import type {AgentConfig, AgentMessage} from '../shared/agent-protocol.js';
import {onJsonLines} from '../shared/json-lines.js';
import {childEnv} from '../shared/parent-pid.js';
import type {AgentEnd, AgentHandlers, AgentLink} from './agent-link.js';
import {sandboxCommand} from './sandbox.js';

/** The agent in a process of its own, started inside a fresh namespace by unshare (agent.ts). */
export function spawnAgent(config: AgentConfig, handlers: AgentHandlers): AgentLink {
	const agentScript = builtFile('agent.js');
	const [command, ...args] = sandboxCommand(config.sandbox);
	// Its own process group: a Ctrl-C in the terminal reaches us, and we stop the lab in order.
	const child = spawn(command!, [...args, process.execPath, agentScript, JSON.stringify(config)], {
		stdio: ['pipe', 'pipe', 'pipe'],
		detached: true,
		// unshare execs the agent in place, so its parent is this process.
		env: childEnv(),
	});
	// EPIPE when a command races the agent's exit; its close event reports the end.
	child.stdin!.on('error', () => undefined);
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	onJsonLines<AgentMessage>(child.stdout!, message => handlers.message(message));
	const ended = new Promise<AgentEnd>(resolve => {
		child.once('close', (code, signal) => resolve({code, signal, stderr}));
	});
	child.once('error', error => handlers.spawnFailed(error));
	return {
		send(message) {
			if (child.stdin?.writable) child.stdin.write(JSON.stringify(message) + '\n');
		},
		abort: () => child.kill('SIGTERM'),
		kill: () => child.kill('SIGKILL'),
		running: () => child.exitCode === null && child.signalCode === null,
		ended,
	};
}
