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
	| 'fin'
	/** Data (or a FIN) whose sequence range was sent before: Wireshark's tcp.analysis.retransmission. */
	| 'retransmission';

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
	/** The NAT scenario's topology (the server listens on nat.server, not on 127.0.0.1). */
	nat?: NatInfo;
};

/** The NAT scenario's three namespaces, as the router's own sysctls read back. */
export type NatInfo = {
	client: string;
	routerClientSide: string;
	routerServerSide: string;
	server: string;
	/** net.netfilter.nf_conntrack_tcp_timeout_established in the router: seconds an idle established connection is remembered. */
	timeout: number;
	/** net.netfilter.nf_conntrack_tcp_loose (0: a mid-stream segment without an entry is INVALID) and net.ipv4.ip_forward. */
	loose: number;
	forward: number;
	/** The router's netfilter commands as they ran in its namespace (masquerade, the INVALID drop). */
	commands: string[];
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
	/** SO_KEEPALIVE read back, where the scenario turned this side's keepalive off (else it is on). */
	keepalive?: boolean;
	/** TCP_USER_TIMEOUT read back (getsockopt 18), in ms, where the run set one (0 = off). */
	userTimeout?: number;
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
	/** How many RTO retransmissions the kernel makes before it gives up on unacknowledged data. */
	tcp_retries2?: number;
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
	/**
	 * NAT scenario: seen at the router, entering it (`router-in`, on the interface towards
	 * the sender) or leaving it (`router-out`, towards the receiver); each vantage point is
	 * classified on its own. Without `at`: seen at the server, as in every other scenario.
	 */
	at?: RouterSide;
};

export type RouterSide = 'router-in' | 'router-out';

/** The router's conntrack entry for the lab's connection, read through ctnetlink whenever it changed. */
export type ConntrackEvent = {
	t: number;
	type: 'conntrack';
	/** False once the router has forgotten the connection (or before it saw it). */
	present: boolean;
	/** conntrack's TCP state, e.g. ESTABLISHED. */
	state?: string;
	/** Whole seconds until the entry expires; every packet of the connection sets it back to the state's timeout. */
	timeout?: number;
	/** The client's port as the server sees it, after masquerading. */
	natPort?: number;
};

/** The router's rule that drops conntrack INVALID packets: its own counter. */
export type InvalidEvent = {
	t: number;
	type: 'invalid';
	/** The rule's command line, as it ran in the router's namespace. */
	command: string;
	dropped: number;
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
	/** icsk_retransmits: RTO retransmissions of the oldest unacknowledged segment (tcp_info, or /proc/net/tcp's retrnsmt). */
	retransmits?: number;
	/** The retransmission timeout in force, seconds (tcpi_rto), and how often it has been doubled (tcpi_backoff). */
	rto?: number;
	backoff?: number;
	/** Retransmitted segments over the socket's life (tcpi_total_retrans). */
	totalRetrans?: number;
	/** Segments sent and not yet acknowledged (tcpi_unacked: packets_out). */
	unacked?: number;
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

/** What a peer's application did with its socket: a line it wrote, one it read, or a write that failed. */
export type AppEvent = {
	t: number;
	type: 'app';
	side: Side;
	event: 'sent' | 'received' | 'error';
	/** Bytes written or read by the application (0 for an error). */
	bytes: number;
	/** The data as text, for sent and received. */
	text?: string;
	/** errno name of a failed write, e.g. EPIPE. */
	code?: string;
};

/** A peer's process was stopped (SIGSTOP) or continued (SIGCONT), as /proc/<pid>/stat then said. */
export type PeerEvent = {
	t: number;
	type: 'peer';
	side: Side;
	event: 'frozen' | 'resumed';
	pid: number;
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
	/** The scenario that ran, except for the default `drop` (whose summary is the fields above). */
	scenario?: string;
	/** TCP_USER_TIMEOUT of the server's socket (ms), when set. */
	userTimeout?: number;
	/** busy: retransmissions from the server on the wire, the kernel's highest icsk_retransmits, probes sent while data was unacknowledged. */
	retransmissions?: number;
	kernelRetransmits?: number;
	probesWhileUnacked?: number;
	/** busy: when the server wrote, its first retransmission by the RTO timer (the kernel's clock for giving up starts there), when its socket failed, and the kernel's rule for when it gives up (the user timeout, else tcp_retries2, after that first one). */
	dataSentAt?: number | null;
	firstRtoAt?: number | null;
	serverErrorAt?: number | null;
	expectedErrorAt?: number | null;
	/** frozen: probes answered while the client was frozen, when the request was ACKed, and when the client's application read it and replied. */
	answeredWhileFrozen?: number;
	requestAckedAt?: number | null;
	requestReadAt?: number | null;
	replyAt?: number | null;
	resumedAt?: number | null;
	/** nat: whether the server's keepalive was on, the router's timeout, when the client wrote its line after idling, whether the server's application read it, what the kernel's rules predict, the INVALID rule's count, and the client's data segments that entered the router and left it. */
	keepalive?: boolean;
	natTimeout?: number;
	lineSentAt?: number | null;
	delivered?: boolean;
	expected?: 'delivered' | 'lost';
	invalidDropped?: number;
	dataIntoRouter?: number;
	dataOutOfRouter?: number;
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
	| AppEvent
	| PeerEvent
	| ConntrackEvent
	| InvalidEvent
	| SummaryEvent;
