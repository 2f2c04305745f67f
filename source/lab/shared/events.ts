/**
 * The lab's event stream: one typed union, also the `lab --json` contract.
 * Every event has `t`, seconds since the lab was ready (millisecond precision).
 * Field names are stable: lessons, tests and workshop scripts read them.
 */

export type Side = 'server' | 'client';

export type SandboxKind = 'userns' | 'netns';
export type FirewallTool = 'iptables' | 'nft';

export type TcpFlag = 'FIN' | 'SYN' | 'RST' | 'PSH' | 'ACK' | 'URG' | 'ECE' | 'CWR';

export type SegmentKind =
	| 'syn'
	| 'syn-ack'
	| 'ack'
	| 'data'
	| 'keepalive'
	| 'keepalive-ack'
	| 'rst'
	| 'fin';

export type LabReadyEvent = {
	t: number;
	type: 'lab';
	event: 'ready';
	sandbox: SandboxKind;
	port: number;
	/** 'none' when no firewall tool works here: the lab runs, but cannot drop (see firewallProblem). */
	firewall: FirewallTool | 'none';
	/** Only with firewall 'none': why, and what to install. */
	firewallProblem?: {message: string; fix: string};
};

/** Something went wrong in the lab itself (not a socket error the lesson expects). */
export type LabErrorEvent = {
	t: number;
	type: 'lab';
	event: 'error';
	message: string;
	/** What to do about it, where the lab knows. */
	fix?: string;
};

/** The lab has stopped: all its processes are gone and so is its namespace. */
export type LabStoppedEvent = {
	t: number;
	type: 'lab';
	event: 'stopped';
};

export type SockoptEvent = {
	t: number;
	type: 'sockopt';
	side: Side;
	/** Read back from the socket with getsockopt after setting. */
	idle: number;
	intvl: number;
	probes: number;
	/** What Node's socket.setKeepAlive(true, ms) alone had left in the socket. */
	nodeDefaults: NodeDefaults;
};

/** What the running Node's socket.setKeepAlive does, read back from the socket with getsockopt. */
export type NodeDefaults = {
	/** TCP_KEEPINTVL and TCP_KEEPCNT after setKeepAlive(true, idle × 1000) alone. */
	intvl: number;
	probes: number;
	/** TCP_KEEPIDLE after setKeepAlive(true, 500): below a second. */
	idleAfter500ms: number;
	/** TCP_KEEPIDLE after setKeepAlive(true, 1500): not whole seconds. */
	idleAfter1500ms: number;
};

/** The keepalive sysctls of the lab's own network namespace, read back after the lab set them. */
export type SysctlEvent = {
	t: number;
	type: 'sysctl';
	tcp_keepalive_time: number;
	tcp_keepalive_intvl: number;
	tcp_keepalive_probes: number;
};

export type PacketEvent = {
	t: number;
	type: 'packet';
	from: Side;
	flags: TcpFlag[];
	seq: number;
	ack: number;
	/** Relative to each side's initial sequence number, as Wireshark shows them. */
	relSeq: number;
	relAck: number;
	len: number;
	kind: SegmentKind;
};

/** Kernel timer names as /proc/net/tcp's `tr` column encodes them. */
export type TimerKind = 'none' | 'retransmit' | 'keepalive' | 'timewait' | 'probe';

export type KernelReading = {
	side: Side;
	/** TCP state name, e.g. ESTABLISHED; "gone" once the socket has left the table. */
	state: string;
	timer: TimerKind;
	/** Seconds until the timer fires, as the kernel reports it (0 when due or past due). */
	dueIn: number;
	/** Unanswered keepalive probes sent so far (the kernel's icsk_probes_out). */
	probesOut: number;
	/**
	 * Seconds since the socket last received a segment (tcp_info), when the kernel
	 * says. The keepalive timer may fire early only to re-arm: the next probe is due
	 * at max(dueIn, idle − sinceRecv).
	 */
	sinceRecv?: number;
};

export type KernelEvent = {t: number; type: 'kernel'} & KernelReading;

export type FirewallEvent = {
	t: number;
	type: 'firewall';
	action: 'drop' | 'allow';
	/** The exact command line that ran. */
	command: string;
	/** The rule's own counter of dropped packets. */
	dropped: number;
};

export type SocketEvent = {
	t: number;
	type: 'socket';
	side: Side;
	event: 'connected' | 'error' | 'closed';
	/** errno name for errors, e.g. ETIMEDOUT or ECONNRESET. */
	code?: string;
	localPort?: number;
	remotePort?: number;
};

export type SummaryEvent = {
	t: number;
	type: 'summary';
	params: {idle: number; intvl: number; probes: number};
	probesSent: number;
	probesAnswered: number;
	dropped: number;
	rstAt: number | null;
	expectedRstAt: number | null;
	serverError: string | null;
	clientError: string | null;
	ok: boolean;
	/** Why the run failed, when it did. */
	failure?: string;
};

export type LabEvent =
	| LabReadyEvent
	| LabErrorEvent
	| LabStoppedEvent
	| SockoptEvent
	| SysctlEvent
	| PacketEvent
	| KernelEvent
	| FirewallEvent
	| SocketEvent
	| SummaryEvent;
