import type {FirewallTool, KernelReading, LabEvent} from './events.js';
import type {KeepaliveParams} from './params.js';

/** What the host passes to the agent that runs inside the namespace. */
export type AgentConfig = KeepaliveParams & {
	port: number;
	sandbox: 'userns' | 'netns';
	firewall: FirewallTool | 'auto';
	pcap?: string;
	sysctls?: Partial<KeepaliveParams>;
};

/** Host → agent, one JSON object per line on the agent's stdin. */
export type AgentCommand = {cmd: 'drop'; on: boolean} | {cmd: 'read'; id: number} | {cmd: 'stop'};

/** Agent → host, one JSON object per line on the agent's stdout. */
export type AgentMessage =
	| LabEvent
	| {type: 'reply'; id: number; readings: KernelReading[]; error?: string}
	| {type: 'fatal'; message: string; fix: string};
