import type {Exercise} from '../exercises/types.js';
import type {ScenarioName} from '../lab/scenarios/scenarios.js';
import type {RouterSide, SegmentKind, Side} from '../lab/shared/events.js';
import type {KeepaliveParams} from '../lab/shared/params.js';
import type {Blocks, Inline} from './lesson-tree.js';

/**
 * What a `wait` step waits for, checked against the events of the current lab run
 * (see lessons/FORMAT.md for the text form and source/lessons/step-engine.ts for the rules).
 */
export type Condition =
	| {type: 'ready'}
	/** The socket options of `side` were read back (a `sockopt` event). */
	| {type: 'sockopt'; side: Side}
	/**
	 * At least `count` captured segments of this kind (and side). With `afterDrop`, only
	 * segments captured while the firewall drop is in force, counted from when it went on.
	 */
	| {type: 'packet'; kind: SegmentKind; from?: Side; count: number; afterDrop?: boolean; at?: RouterSide}
	/** The firewall drop is in force (the latest firewall event is a drop). */
	| {type: 'drop'}
	| {type: 'socket-error'; side: Side; code?: string}
	| {type: 'probes-out'; side: Side; atLeast: number}
	/** The kernel reported at least `atLeast` RTO retransmissions of that side's oldest unacknowledged segment (icsk_retransmits). */
	| {type: 'retransmits'; side: Side; atLeast: number}
	/** That side's application wrote, read, or failed to write at least `count` times. */
	| {type: 'app'; event: 'sent' | 'received' | 'error'; side: Side; count: number}
	/** The client's process is stopped now (`frozen`), or was resumed after being stopped. */
	| {type: 'peer'; event: 'frozen' | 'resumed'}
	/** The router's conntrack entry for the connection is there now, or it was there and has gone. */
	| {type: 'conntrack'; entry: 'present' | 'gone'}
	/** The router's INVALID rule dropped at least `atLeast` packets. */
	| {type: 'invalid'; atLeast: number};

/**
 * What a key in a `prompt` step does to the lab: the drop; a new run (`keepalive-on` /
 * `-off`: with the server's keepalive so, until the lesson is left); a line written by one
 * side's application; the client's process stopped or continued.
 */
export type LabAction = 'drop-on' | 'drop-off' | 'restart' | 'keepalive-on' | 'keepalive-off' | 'send-client' | 'send-server' | 'freeze' | 'resume';

/** How a lesson's lab runs (its front matter); a lesson that says nothing runs the default scenario with the course's values. */
export type LessonRun = {
	scenario?: ScenarioName;
	/** The lesson's own idle, intvl and probes, over the course's preset. */
	values?: KeepaliveParams;
	/** TCP_USER_TIMEOUT of the server's socket, ms. */
	userTimeout?: number;
	/** The server's keepalive on or off, over the scenario's. */
	serverKeepalive?: boolean;
	/** nat: the router's established timeout, seconds, over the scenario's. */
	natTimeout?: number;
};

/** What every step has: its heading and its text, a Markdown tree with the facts as nodes. */
type StepBase = {
	title: string;
	/** 1-based line of the step's heading in its lesson file. */
	line: number;
	text: Blocks;
};

export type Step =
	| ({kind: 'read'} & StepBase)
	| ({kind: 'wait'; until: Condition} & StepBase)
	| ({kind: 'prompt'; key: string; action: LabAction; /** What `send-*` writes (its `line:`). */ writes?: string} & StepBase)
	| ({
			kind: 'question';
			/** Shown as a) b) c) …; the learner presses the letter. */
			choices: Inline[];
			/** Index into choices. */
			answer: number;
			/** Shown once answered, right or wrong. */
			explain: Blocks;
	  } & StepBase);

export type Lesson = {
	id: string;
	/** The lesson's file in the course folder. */
	file: string;
	title: string;
	/** Whether the live lab runs beside this lesson. */
	lab: boolean;
	/** The lab namespace's own keepalive sysctls this lesson wants set (front matter `sysctls:`). */
	sysctls?: Partial<KeepaliveParams>;
	/** How its lab runs, where the front matter says (scenario, values, …). */
	run?: LessonRun;
	steps: Step[];
};

/** The whole course: the manifest's lessons and exercises, each in order. */
export type Course = {
	title: string;
	lessons: Lesson[];
	exercises: Exercise[];
};

/** Values a lesson's text may show through {{placeholders}}: host sysctls and facts from the lab's events. */
export type Facts = Record<string, string>;
