import type {FirewallTool, KernelReading, LabEvent, Side} from './events.js';
import type {KeepaliveParams} from './params.js';

/** What the host passes to the agent that runs inside the namespace. */
export type AgentConfig = KeepaliveParams & {
	port: number;
	sandbox: 'userns' | 'netns';
	firewall: FirewallTool | 'auto';
	pcap?: string;
	sysctls?: Partial<KeepaliveParams>;
	/** Which sides turn keepalive on (with the same idle / intvl / probes). */
	keepalive: Record<Side, boolean>;
	/** TCP_USER_TIMEOUT for the server's socket, ms; absent: left alone. */
	userTimeout?: number;
	/** The client's application answers each line it reads. */
	clientAnswers: boolean;
	/** loopback: client and server share the agent's namespace; nat: three namespaces, a router between them (agent/nat/topology.ts). */
	topology: 'loopback' | 'nat';
	/** nat: the router's nf_conntrack_tcp_timeout_established, seconds. */
	natTimeout?: number;
};

/** Host → agent, one JSON object per line on the agent's stdin. */
export type AgentCommand =
	| {cmd: 'drop'; on: boolean}
	| {cmd: 'read'; id: number}
	| {cmd: 'send'; side: Side; text: string}
	| {cmd: 'freeze'; on: boolean}
	| {cmd: 'stop'};

/** Agent → host, one JSON object per line on the agent's stdout. */
export type AgentMessage =
	| LabEvent
	| {type: 'reply'; id: number; readings: KernelReading[]; error?: string}
	| {type: 'fatal'; message: string; fix: string};
