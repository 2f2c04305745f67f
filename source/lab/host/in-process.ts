/**
 * The agent in the host's own process (as root, or in the user's own user namespace,
 * user-namespace.ts): no second Node, so the run costs one process less in memory and in
 * start-up. The main thread enters a fresh network namespace for the run (unshare) and
 * comes back when it ends; what the run starts from this thread (the client, the firewall's tools, its sockets) belongs to
 * the run's namespace, and dies with it. Runs take turns: a run starts once the one
 * before it has ended, since this thread can be in one namespace only.
 */
import type {AgentCommand, AgentConfig, AgentMessage} from '../shared/agent-protocol.js';
import type {AgentEnd, AgentHandlers, AgentLink} from './agent-link.js';

let previous: Promise<unknown> = Promise.resolve();

/**
 * What a run's first acts (the namespace, the client's process) need, loaded once. Not with
 * the host: a host whose agent runs in a process of its own (`--sandbox userns` as root, a
 * user outside a user namespace of their own) must not load ffi-rs (about 10 ms and a few
 * MiB) for nothing. A lab that will run here asks for it as soon as it is made, so that it
 * loads while the rest of the host starts.
 */
type FirstActs = Promise<[typeof import('../agent/netns.js'), typeof import('../agent/early-start.js')]>;
let firstActs: FirstActs | undefined;
export function loadInProcess(): FirstActs {
	firstActs ??= Promise.all([import('../agent/netns.js'), import('../agent/early-start.js')]);
	return firstActs;
}

export function runInProcess(config: AgentConfig, handlers: AgentHandlers): AgentLink {
	let command: ((command: AgentCommand) => void) | undefined;
	let stopWanted = false;
	let over = false;
	let finish!: (end: AgentEnd) => void;
	const ended = new Promise<AgentEnd>(resolve => {
		finish = end => {
			over = true;
			resolve(end);
		};
	});
	// Delivered after the agent's current stretch of work, as a process's lines would be; the end after its last message.
	const deliver = (message: AgentMessage) => queueMicrotask(() => handlers.message(message));
	const end = (code: number) => queueMicrotask(() => finish({code, signal: null, stderr: ''}));
	const turn = previous;
	// The next run waits for this one, and for the one before it if this one ended while waiting its turn.
	previous = Promise.all([turn, ended]);
	let begun = false;

	void turn.then(async () => {
		if (stopWanted) return;
		begun = true;

		let leave: (() => void) | undefined;
		try {
			const [{enterNewNetns}, {startEarly}] = await loadInProcess();
			if (stopWanted) {
				end(0);
				return;
			}

			leave = enterNewNetns();
			// The client's process starts at once; the rest of the agent (its server, net-keepalive) loads while it boots.
			const [started, {runAgent}] = await Promise.all([startEarly(config), import('../agent/lab-agent.js')]);
			command = runAgent(config, started, {
				emit: deliver,
				exit(code) {
					leave?.();
					end(code);
				},
			});
			if (stopWanted) command({cmd: 'stop'});
		} catch (error) {
			leave?.();
			deliver({type: 'fatal', message: `could not start the lab in this process: ${(error as Error).message}`, fix: 'Run the lab as root, outside a container that forbids namespaces, or use --sandbox userns.'});
			end(1);
		}
	});

	return {
		send(message) {
			command?.(message);
		},
		abort() {
			stopWanted = true;
			if (command) command({cmd: 'stop'});
			// Still waiting for its turn: nothing of it has started.
			else if (!begun) end(0);
		},
		// Nothing to kill in this process: the stop's own end is awaited.
		kill: () => undefined,
		running: () => !over,
		ended,
	};
}
