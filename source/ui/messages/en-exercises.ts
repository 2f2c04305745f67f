import {faultText, writeText} from '../../exercises/fault-plan.js';
import {rangeText} from '../../exercises/settings.js';
import type {CheckStatus} from '../../exercises/checks/context.js';
import type {Anchor, ClientWrite, ExerciseCheck, FaultStep, Moment, RecordedTimeline} from '../../exercises/types.js';
import type {LessonRun} from '../../lessons/types.js';
import {kindLabels} from '../../lab/model/kind-labels.js';
import type {SegmentKind, Side} from '../../lab/shared/events.js';
import type {KeepaliveParams} from '../../lab/shared/params.js';

/*
 * The exercises' words in English: `verify`'s header and verdict, and each check's reason
 * in the run's own times. The checks (source/exercises/checks/) give numbers and what they
 * are about; these say them. Times come as seconds: the lab's with millisecond precision,
 * a goal as the exercise wrote it.
 */

/** One drop of the run: its number in the fault plan, when it went on, and when it was lifted. */
export type DropSpan = {n: number; on: number; off: number | null};

/** Where the RST came in relation to the drops: before any, or `after` seconds into one (and whether that one had been lifted). */
export type RstWhen = {type: 'before'} | {type: 'into'; after: number; drop: DropSpan; lifted: boolean};

/** The closest two consecutive probes: the first one's number (1-based), both times, and the gap. */
export type ProbePair = {first: number; at: number; next: number; gap: number};

/** The learner's run and the recorded one, in seconds after the handshake, for a timeline check. */
export type TimelineRuns = {probes: readonly number[]; rst: number | null; recorded: RecordedTimeline};

/**
 * What the NAT router did, by its own readings: when it forgot the connection, the client's
 * data segments that entered and left it, its INVALID rule's count, the RSTs it sent the
 * server in the client's name; and the server socket's errors.
 */
export type LineAtRouter = {forgottenAt: number | null; into: number; out: number; invalid: number; resets: number; serverErrors: readonly string[]};

const s = (value: number) => `${value.toFixed(3)} s`;
const goal = (value: number) => `${value} s`;
const moment = (what: Moment) => (what.type === 'rst' ? 'the RST' : `probe ${what.n}`);
/** A moment after "no": "no RST", "no probe 3". */
const bare = (what: Moment) => (what.type === 'rst' ? 'RST' : `probe ${what.n}`);
const anchor = (from: Anchor) =>
	from.type === 'connect' ? 'the handshake' : from.type === 'last-answer' ? 'the last answer the server heard' : from.n === undefined ? 'the drop' : `drop ${from.n}`;
const span = ({n, on, off}: DropSpan) => `drop ${n} (on at ${s(on)}${off === null ? '' : `, lifted at ${s(off)}`})`;
const when = (at: RstWhen) => (at.type === 'before' ? 'before any drop' : `${s(at.after)} into ${span(at.drop)}${at.lifted ? ', after it was lifted' : ''}`);
const rstCame = (rst: number, at: RstWhen) => `the RST came at ${s(rst)}, ${when(at)}`;
const came = (what: Moment, after: number, from: Anchor) => `${moment(what)} came ${s(after)} after ${anchor(from)}`;
const pair = ({first, at, next, gap}: ProbePair) => `probes ${first} and ${first + 1} (at ${s(at)} and ${s(next)}) were ${s(gap)} apart`;
const times = (list: readonly number[]) => list.map(t => t.toFixed(3)).join(', ');
const yours = ({probes, rst}: TimelineRuns) => `yours: probes at ${times(probes)} s${rst === null ? ', no RST' : `, the RST at ${rst.toFixed(3)} s`}`;
const copies = (n: number) => `${n} cop${n === 1 ? 'y' : 'ies'}`;
const forgot = (router: LineAtRouter) => (router.forgottenAt === null ? '' : `the router forgot the connection at ${s(router.forgottenAt)}; `);
const written = (wrote: number) => `the line written at ${s(wrote)}`;
/** The lab's run when an exercise says how: the scenario, the router's timeout, the server's keepalive. */
const labRun = ({scenario, natTimeout, serverKeepalive}: LessonRun) =>
	[
		scenario,
		natTimeout === undefined ? undefined : `the router forgets an idle connection after ${natTimeout} s`,
		serverKeepalive === undefined ? undefined : `the server's keepalive ${serverKeepalive ? 'on' : 'off'}`,
	]
		.filter(part => part !== undefined)
		.join(', ');
const runs = (both: TimelineRuns) =>
	`the recorded run: probes at ${times(both.recorded.probes)} s, the RST at ${both.recorded.rst.toFixed(3)} s after the handshake; ${yours(both)}`;

export const exercisesEn = {
	/** A condition of the check as `verify` and the form show it: the exercise's own text. */
	checkText: (_check: ExerciseCheck, written: string) => written,
	range: (knob: keyof KeepaliveParams, range: {min: number; max: number}) => rangeText(knob, range),
	header: {
		exercise: (id: string, title: string) => `exercise ${id}: ${title}`,
		goal: (text: string) => `goal     ${text}`,
		values: (params: KeepaliveParams, allowed: readonly string[]) =>
			`values   idle ${params.idle} s, intvl ${params.intvl} s, probes ${params.probes} (allowed: ${allowed.join(', ')})`,
		lab: (run: LessonRun) => `lab      ${labRun(run)}`,
		fault: (steps: readonly FaultStep[], writes: readonly ClientWrite[]) => `fault    ${[...steps.map(faultText), ...writes.map(writeText)].join(', then ')}`,
		check: (texts: readonly string[]) => `check    ${texts.join('; ')}`,
	},
	/** One condition's line after its mark: the condition, then the reason. */
	result: (text: string, reason: string) => `${text}: ${reason}`,
	verdict: (status: CheckStatus, reason: string) => `verdict  ${{pass: 'PASS', fail: 'FAIL', pending: 'UNDECIDED'}[status]}: ${reason}`,
	endedEarly: (why: string) => `         the run ended early: ${why}`,
	/** Why a run ended before the check was decided. */
	failure: {
		labStopped: 'the lab stopped before the check was decided',
		stopped: 'stopped before the check was decided',
		tooLong: (limit: number) => `the run took ${limit} s, the longest the kernel's rules allow for these values and this fault plan`,
	},
	/** `verify`'s refusals of an exercise or of values it does not allow. */
	noExercise: (id: string, ids: readonly string[]) =>
		`there is no exercise "${id}"; ${ids.length === 0 ? 'this course has none' : `the exercises are ${ids.join(', ')}`} (ka-tutorial verify --list).`,
	notAllowed: (knob: keyof KeepaliveParams, value: number, range: {min: number; max: number}, id: string) =>
		`--${knob} must be from ${range.min} to ${range.max}${knob === 'probes' ? '' : ' seconds'} in exercise ${id} (${rangeText(knob, range)}); got ${value}.`,
	noExercises: 'this course has no exercises',
	/** A lesson condition: what the run shows of it, in its own counts. */
	packetsSeen: (seen: number, kind: SegmentKind, from: Side | undefined, afterDrop: boolean, least: number) =>
		`${seen} ${kindLabels[kind]}${from === undefined ? '' : ` from the ${from}`}${afterDrop ? ' since the drop went on' : ''}; the goal was at least ${least}`,
	socketError: (side: Side, errors: readonly string[], code: string | undefined) =>
		`the ${side}'s socket ${errors.length === 0 ? 'did not fail' : `failed with ${errors.join(', ')}`}; the goal was ${code ?? 'an error'}`,
	probesOut: (most: number, side: Side, least: number) => `the kernel counted at most ${most} unanswered probe(s) on the ${side}'s socket; the goal was at least ${least}`,
	met: (met: boolean): string => (met ? 'met' : 'not met'),
	/** Drops and the RST: `survives drop N`, `connection survives`. */
	dropNeverCame: (n: number) => `drop ${n} never came`,
	rstCame,
	rstBeforeDrop: (rst: number, at: RstWhen, n: number) => `${rstCame(rst, at)}: drop ${n} never came`,
	neverLifted: (drop: DropSpan) => `${span(drop)} was never lifted`,
	neverHeardAgain: (drop: DropSpan) => `after ${span(drop)} the server never heard the client again`,
	survivedDrop: (drop: DropSpan, lasted: number, heard: number) => `${span(drop)} lasted ${s(lasted)}; the server heard the client again at ${s(heard)}, before any RST`,
	someDrops: (came: number, planned: number) => `only ${came} of the ${planned} drops came`,
	survived: (heard: number, lifted: number) => `the server heard the client at ${s(heard)}, after the last drop was lifted at ${s(lifted)}; no RST`,
	/** Times: `rst within 20 s of drop`, `rst near 12 s after last-answer`. */
	anchorNeverCame: (from: Anchor) => `${anchor(from)} never came`,
	waitingFor: (what: Moment) => `waiting for ${moment(what)}`,
	undecided: (what: Moment, from: Anchor, waited: number) => `undecided: the run ended ${s(waited)} after ${anchor(from)}, before ${moment(what)} was due`,
	noneWithin: (what: Moment, most: number, from: Anchor, at: number) => `no ${bare(what)} came within ${goal(most)} of ${anchor(from)} (at ${s(at)})`,
	cameBefore: (what: Moment, by: number, from: Anchor, most: number) => `${moment(what)} came ${s(by)} before ${anchor(from)}; the goal was at most ${goal(most)} after it`,
	cameWithin: (what: Moment, after: number, from: Anchor, most: number) => `${came(what, after, from)}; the goal was at most ${goal(most)}`,
	givesUpFirst: (what: Moment, probes: number) => `your values make the server give up before ${moment(what)}: the model predicts ${probes} unanswered probe(s) and the RST`,
	noneAfter: (what: Moment, waited: number, from: Anchor) => `no ${bare(what)} came ${s(waited)} after ${anchor(from)}`,
	aimedElsewhere: (what: Moment, after: number, from: Anchor, target: number, aim: number) =>
		`${came(what, after, from)}; the goal was ${goal(target)}, but your values aim it at ${s(aim)} (the model's prediction)`,
	/** The moment `off` seconds from the goal (negative: early), against the kernel's slack for the learner's values. */
	near: (what: Moment, after: number, from: Anchor, target: number, off: number, slack: {late: number; early: number; within: boolean}) =>
		`${came(what, after, from)}: ${s(Math.abs(off))} ${off < 0 ? 'early' : 'late'} for the goal of ${goal(target)}, ${slack.within ? 'within' : 'more than'} the kernel's slack for your values (up to ${s(slack.late)} late, ${s(slack.early)} early)`,
	/** `probe-gaps at least 5 s`. */
	noGap: (probes: number) => `${probes === 0 ? 'no probe' : 'only one probe'} went out: no gap to measure`,
	gapTooShort: (closest: ProbePair, least: number) => `${pair(closest)}; the goal was at least ${goal(least)}`,
	gapsWide: (closest: ProbePair, least: number) => `the closest ${pair(closest)}; the goal was at least ${goal(least)}`,
	gapsSoFar: (closest: ProbePair) => `so far the closest ${pair(closest)}`,
	/** `timeline matches recorded`: `other` is what the recorded run had where this moment came. */
	timelineOutOfStep: (what: Moment, at: number, other: Moment, both: TimelineRuns) =>
		`${moment(what)} came at ${s(at)} after the handshake, where the recorded run had ${other.type === 'rst' ? 'its RST' : moment(other)} (${runs(both)})`,
	timelineApart: (what: Moment, at: number, was: number, tolerance: number, both: TimelineRuns) =>
		`${moment(what)} came ${s(at)} after the handshake, in the recorded run ${s(was)}: ${s(Math.abs(at - was))} apart, more than the kernel's slack of ${s(tolerance)} (${runs(both)})`,
	timelineNoRst: (both: TimelineRuns) => `no RST came (${runs(both)})`,
	timelineSoFar: (both: TimelineRuns) => `so far as recorded: ${yours(both)}`,
	/** `line arrives within 2 s`: the client's line, and what the router did with it. */
	lineDue: (after: number) => `waiting for the client to write its line, ${goal(after)} after it connected`,
	lineUnwritten: (after: number) => `undecided: the run ended before the client wrote its line (due ${goal(after)} after it connected)`,
	lineInFlight: (wrote: number) => `waiting for ${written(wrote)}`,
	lineUndecided: (wrote: number, waited: number) => `undecided: the run ended ${s(waited)} after ${written(wrote)}, before it was due`,
	lineLost: (wrote: number, within: number, router: LineAtRouter | null) => {
		if (router === null) return `the server's application had not read ${written(wrote)} ${goal(within)} later`;
		if (router.out > 0) return `${written(wrote)} left the router (${copies(router.out)}), yet the server's application had not read it ${goal(within)} later`;
		const reset = router.resets === 0 ? '' : `; the router had sent the server ${router.resets} RST(s) in the client's name${router.serverErrors.length === 0 ? '' : ` (the server's socket: ${router.serverErrors.join(', ')})`}`;
		return `${forgot(router)}${written(wrote)} never left the router: ${copies(router.into)} of it entered, none left (INVALID ${router.invalid})${reset}`;
	},
	lineLate: (wrote: number, read: number, within: number, router: LineAtRouter | null) =>
		`${written(wrote)} was read by the server's application at ${s(read)}, more than ${goal(within)} later${router === null ? '' : ` (INVALID ${router.invalid})`}`,
	lineArrived: (wrote: number, read: number, router: LineAtRouter | null) =>
		`${written(wrote)} was read by the server's application at ${s(read)}${router === null ? '' : router.forgottenAt === null ? `; the router never forgot the connection (INVALID ${router.invalid})` : `; ${forgot(router).slice(0, -2)} (INVALID ${router.invalid})`}`,
	timelineMatches: (both: TimelineRuns) => `each probe and the RST came within the kernel's slack of the recorded run's (${runs(both)})`,
};

export type ExerciseMessages = typeof exercisesEn;
