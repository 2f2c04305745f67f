import type {KeepaliveParams} from '../shared/params.js';
import type {FirewallTool, LabEvent, SandboxKind, Side} from '../shared/events.js';
import type {ScenarioName} from '../scenarios/scenarios.js';

export type LabOptions = KeepaliveParams & {
	/** Force a sandbox kind; default: netns as root, userns otherwise. */
	sandbox?: SandboxKind | 'auto';
	/** Force a firewall tool; default: iptables where it works, else nft. */
	firewall?: FirewallTool | 'auto';
	/** Write every captured frame to this classic pcap file. */
	pcap?: string;
	/** Values for net.ipv4.tcp_keepalive_* inside the lab's own namespace only. */
	sysctls?: Partial<KeepaliveParams>;
	/** What the lab sets up (scenarios.ts); default `drop`. The run's actions are the caller's (host/runs/ for `lab`). */
	scenario?: ScenarioName;
	/** TCP_USER_TIMEOUT of the server's socket, ms (0 = off); default: not set. */
	userTimeout?: number;
	/** Keepalive on or off per side, over the scenario's choice. */
	keepalive?: Partial<Record<Side, boolean>>;
	/** nat: the router's nf_conntrack_tcp_timeout_established, seconds, over the scenario's. */
	natTimeout?: number;
	/**
	 * `process`: the agent in a process of its own even in the netns sandbox, where it
	 * otherwise runs in this one, one run at a time (host/in-process.ts); for a host
	 * that runs several labs at once.
	 */
	agent?: 'process';
};

/**
 * One live lab run: a namespace, a server, a client, a capture and a firewall.
 * The UI gets one of these (or a factory for them) passed in; it never starts processes itself.
 */
export type Lab = {
	/** Resolves once the lab is ready (the client is connecting); rejects with a LabStartError. */
	start(): Promise<void>;
	/** Receives every event; returns the unsubscribe function. */
	subscribe(listener: (event: LabEvent) => void): () => void;
	/**
	 * Reads the kernel's keepalive state of both sockets now. The readings come as `kernel`
	 * events through subscribe, like the ones the lab sends by itself; resolves once they have
	 * been sent (at once, with none, when the lab is not running).
	 */
	pollKernel(): Promise<void>;
	/** Switches the firewall drop of the client's packets on or off. */
	setDrop(on: boolean): Promise<void>;
	/** Has that side's application write `text` as a line; `app` events report the write (or its error) and the other side's read. */
	send(side: Side, text: string): Promise<void>;
	/** Stops (SIGSTOP) or continues (SIGCONT) the client's process; a `peer` event reports it once the kernel shows it. */
	freeze(on: boolean): Promise<void>;
	/** Ends every process of the run; resolves when all are gone. Safe to call twice. */
	stop(): Promise<void>;
};

/** Why a lab could not start, with what the user should do about it. */
export class LabStartError extends Error {
	constructor(
		message: string,
		readonly fix: string,
	) {
		super(message);
		this.name = 'LabStartError';
	}
}
