import type {Side} from '../shared/events.js';

/**
 * The lab's scenarios as data: what each one sets up and what goes wrong. The host's runs
 * (host/runs/) act them out headless; the tutorial and lessons pick one by name.
 */
export type Scenario = {
	/** What the run shows, in one line (`--list-scenarios`, a lesson's header). */
	shows: string;
	/** Which side's socket turns keepalive on (the server's values are the run's idle / intvl / probes; the client's too). */
	keepalive: Record<Side, boolean>;
	/** loopback: client and server in one namespace; nat: a router between them, in namespaces of their own. */
	topology: 'loopback' | 'nat';
	/**
	 * What goes wrong once the connection is up: the firewall drops the client's packets at
	 * the server's input, the client's process is stopped, or the router forgets the idle connection.
	 */
	fault: 'drop' | 'freeze' | 'forget';
	/** With the drop: after how many answered probes it goes on, unless told (0: right after the handshake); null without. */
	dropAfter: number | null;
	/** The line the server writes once the fault is on, if any. */
	serverWrites: string | null;
	/** The client's application answers every line it reads with a line of its own. */
	clientAnswers: boolean;
	/** nat: the line the client writes after idling, and the router's established timeout unless told (seconds); null elsewhere. */
	clientWrites: string | null;
	routerTimeout: number | null;
};

export const scenarios = {
	drop: {
		shows: "the article's experiment: the client's answers die at a firewall rule, unanswered probes, the RST",
		topology: 'loopback',
		keepalive: {server: true, client: false},
		fault: 'drop',
		dropAfter: 1,
		serverWrites: null,
		clientAnswers: false,
		clientWrites: null,
		routerTimeout: null,
	},
	busy: {
		shows: 'the server writes while the drop is on: no keepalive probe, retransmissions with backoff instead (end them with --user-timeout)',
		topology: 'loopback',
		keepalive: {server: true, client: false},
		fault: 'drop',
		// Right after the handshake: the data is in flight when keepalive's first probe would be due.
		dropAfter: 0,
		serverWrites: 'are you there?',
		clientAnswers: false,
		clientWrites: null,
		routerTimeout: null,
	},
	frozen: {
		shows: "the client's process is frozen (SIGSTOP): its kernel answers the probes and ACKs a request, its application never replies",
		topology: 'loopback',
		keepalive: {server: true, client: false},
		fault: 'freeze',
		dropAfter: null,
		serverWrites: 'GET /status',
		clientAnswers: true,
		clientWrites: null,
		routerTimeout: null,
	},
	nat: {
		shows: "a NAT router forgets the idle connection: without keepalive the client's next line dies there as INVALID; with probes more often than its timeout, it arrives",
		topology: 'nat',
		// The run's first connection; its second turns the server's on (host/runs/nat-run.ts).
		keepalive: {server: false, client: false},
		fault: 'forget',
		dropAfter: null,
		serverWrites: null,
		clientAnswers: false,
		clientWrites: 'still there?',
		// Scaled down from Linux's 5 days (432000 s), Kubernetes' 24 h, AWS NLB's 350 s, Azure's 4 minutes.
		// The hand-checked 6 s: the fast preset's 5 s idle probes inside it, the timer's slack included.
		routerTimeout: 6,
	},
} as const satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof scenarios;

/** Every scenario's name, the default first. */
export const scenarioNames = Object.keys(scenarios) as ScenarioName[];

export const defaultScenario: ScenarioName = 'drop';

export function isScenarioName(name: string): name is ScenarioName {
	return Object.hasOwn(scenarios, name);
}

/** What is wrong with a scenario name (a flag's value, a lesson's `scenario:`), or undefined. */
export function scenarioProblem(name: string): string | undefined {
	return isScenarioName(name) ? undefined : `unknown scenario "${name}"; the scenarios are ${scenarioNames.join(', ')}`;
}

/** One line per scenario: name — what it shows. */
export function scenarioList(): string {
	return scenarioNames.map(name => `${name.padEnd(7)} — ${scenarios[name].shows}`).join('\n');
}
