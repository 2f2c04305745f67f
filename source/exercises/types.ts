import type {KeepaliveParams} from '../lab/shared/params.js';
import type {Blocks} from '../lessons/lesson-tree.js';
import type {Condition, LessonRun} from '../lessons/types.js';

/** The values a learner may give one knob: whole numbers from min to max. */
export type Range = {min: number; max: number};

/**
 * One firewall drop of the fault plan: switched on right after the `after`-th keepalive
 * answer the server heard since the previous drop was lifted (0: once the client has
 * connected), and lifted again `for` seconds after it went on; without `for`, it stays.
 */
export type FaultStep = {after: number; for?: number};

/** A line the client's application writes, `after` seconds after it connected (a step of the fault plan). */
export type ClientWrite = {line: string; after: number};

/** A time the check measures from: the client's handshake ACK, the server's last heard answer, or the n-th drop (1-based; default the last). */
export type Anchor = {type: 'connect'} | {type: 'last-answer'} | {type: 'drop'; n?: number};

/** What a time check is about: the server's RST, or its n-th keepalive probe (1-based). */
export type Moment = {type: 'rst'} | {type: 'probe'; n: number};

/** One condition of an exercise's check (lessons/FORMAT.md, "Exercises"). */
export type ExerciseCheck =
	/** Any lesson condition (`until:`), met by the end of the run. */
	| {type: 'condition'; condition: Condition}
	/** The moment came at most `seconds` after the anchor. */
	| {type: 'within'; moment: Moment; seconds: number; anchor: Anchor}
	/** The learner's values aim the moment at `seconds` after the anchor, and the kernel put it there, late by no more than its timers' slack. */
	| {type: 'near'; moment: Moment; seconds: number; anchor: Exclude<Anchor, {type: 'drop'}>}
	/** Consecutive probes of the server at least `seconds` apart. */
	| {type: 'probe-gaps'; seconds: number}
	/** No RST; after each lifted drop the server heard the client again. */
	| {type: 'survives'}
	/** The n-th drop was lifted before any RST, and the server heard the client after that. */
	| {type: 'survives-drop'; n: number}
	/** The probes and the RST came when the exercise's recorded run had them, within the kernel's slack. */
	| {type: 'timeline'}
	/** Each line the client wrote was read by the server's application at most `seconds` after the write. */
	| {type: 'arrives'; seconds: number};

/** A recorded run's times, in seconds after the client's handshake ACK. */
export type RecordedTimeline = {probes: number[]; rst: number};

export type Exercise = {
	id: string;
	/** The exercise's file in the course folder. */
	file: string;
	title: string;
	/** The goal in one line of words. */
	goal: string;
	/** What the learner may set, by knob (the kernel's range where the file says nothing). */
	settings: Record<keyof KeepaliveParams, Range>;
	/** The drops, in order. */
	fault: FaultStep[];
	/** The client's writes of the fault plan, in the order they come. */
	writes: ClientWrite[];
	/** How the lab runs (the lessons' front matter fields; never their `values`, which are the learner's). */
	run: LessonRun;
	/** All must hold. `text` is the condition as written, for messages. */
	check: Array<{text: string; check: ExerciseCheck}>;
	recorded?: RecordedTimeline;
	/** Shown one by one, in this order. */
	hints: Blocks[];
	solution: KeepaliveParams & {why: Blocks};
	/** The exercise's text: the situation, in Markdown. */
	text: Blocks;
	/** 1-based line of each front matter field in the file, for messages that compare two files. */
	lines: Record<string, number>;
};
