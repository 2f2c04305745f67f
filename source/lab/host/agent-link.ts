import type {AgentCommand, AgentMessage} from '../shared/agent-protocol.js';

/** How a run ended: a process's exit code or signal, and what it wrote to stderr. */
export type AgentEnd = {code: number | null; signal: NodeJS.Signals | null; stderr: string};

/** One run's agent as the host drives it, whether it runs in a process of its own or in the host's. */
export type AgentLink = {
	send(command: AgentCommand): void;
	/** Ends a run at once, ready or not (before it is ready it may not take commands yet). */
	abort(): void;
	/** The last resort when a stop takes too long. */
	kill(): void;
	/** Whether the run still runs. */
	running(): boolean;
	/** Resolves once everything of the run is gone. */
	ended: Promise<AgentEnd>;
};

/** Receives the agent's messages, in order; `spawnFailed` when the run could not even begin. */
export type AgentHandlers = {
	message(message: AgentMessage): void;
	spawnFailed(error: Error): void;
};
