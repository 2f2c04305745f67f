import type {KernelReading} from '../../lab/shared/events.js';
import type {KeepaliveParams} from '../../lab/shared/params.js';
import {serverRstOf} from '../../lab/model/run-state.js';
import {jiffy, nextFromReading, type TimerParams} from '../../lab/model/timeline.js';
import {en, type Messages} from '../messages/messages.js';
import {formatSeconds, formatT} from './format.js';
import type {LabView} from './lab-view.js';

/**
 * - waiting: nothing read from the kernel yet
 * - counting: the kernel's timer is running
 * - late: the kernel reports the timer due (0) yet it has not fired: the timer wheel makes long timers late
 * - paused: another kernel timer runs instead of keepalive (retransmit, zero-window probe) or none
 * - closed: the server's socket is gone
 */
export type CountdownStatus = 'waiting' | 'counting' | 'late' | 'paused' | 'closed';

export type TimerCountdown = {
	status: CountdownStatus;
	/** Seconds until it fires, when it runs. */
	seconds: number | null;
	text: string;
};

export type ProbesCountdown = {
	status: CountdownStatus;
	/** Unanswered probes so far (the kernel's probesOut); null when unknown. */
	used: number | null;
	/** TCP_KEEPCNT as the server's socket read it back (else the run's parameter). */
	limit: number;
	/** A prediction, not a reading: the next firing + (limit − used)·intvl, when no answer comes. */
	expectedRstIn: number | null;
	text: string;
};

export type Countdowns = {
	/** The server socket's keepalive timer itself, as `ss -o` shows it. */
	timer: TimerCountdown;
	/** The next probe (or the RST), derived from that timer and the time since the server last heard the client. */
	next: TimerCountdown;
	probes: ProbesCountdown;
	/** The server reading the countdowns were computed from. */
	reading: KernelReading | null;
};

/**
 * What the countdowns show, from the kernel's newest reading of the server's socket (its
 * newest `kernel` event), in the words of `m` (English unless told). The limit and interval
 * are the values the socket read back, falling back to `params` until the sockopt event came.
 */
export function countdowns(view: LabView, params: KeepaliveParams, m: Messages = en): Countdowns {
	const words = m.countdowns;
	const duration = (seconds: number) => formatSeconds(seconds, m.units);
	const reading = view.kernel.server;
	const readBack = view.sockopt.server;
	// The user timeout too: with one, the kernel ignores the probe count.
	const inForce: TimerParams = readBack
		? {idle: readBack.idle, intvl: readBack.intvl, probes: readBack.probes, ...(readBack.userTimeout ? {userTimeout: readBack.userTimeout} : {})}
		: params;
	const limit = inForce.probes;

	if (isClosed(view, reading)) {
		return {
			timer: {status: 'closed', seconds: null, text: words.socketGone},
			next: {status: 'closed', seconds: null, text: closedText(view, reading, words)},
			probes: {status: 'closed', used: null, limit, expectedRstIn: null, text: rstOutcome(view, words)},
			reading,
		};
	}

	if (!reading) {
		const text = view.ready ? words.waitingKernel : words.waitingLab;
		const waiting: TimerCountdown = {status: 'waiting', seconds: null, text};
		return {timer: waiting, next: waiting, probes: {status: 'waiting', used: null, limit, expectedRstIn: null, text}, reading};
	}

	const used = reading.probesOut;
	const next = nextFromReading(inForce, reading);
	if (!next) {
		const text = pausedText(reading, words);
		const paused: TimerCountdown = {status: 'paused', seconds: null, text};
		return {timer: paused, next: paused, probes: {status: 'paused', used, limit, expectedRstIn: null, text: words.unanswered(used, limit)}, reading};
	}

	const dueIn = Math.max(0, reading.dueIn);
	const timer: TimerCountdown = {status: dueIn === 0 ? 'late' : 'counting', seconds: dueIn, text: words.fires(duration(dueIn))};
	// The timer fires early only to re-arm when idle has not passed since the last receive.
	const rearms = next.in > dueIn + 2 * jiffy;
	// Otherwise the next probe is that firing: one number for both rows, so they tick together.
	const nextIn = rearms ? next.in : dueIn;
	const isLate = nextIn === 0;
	const first = used === 0 && view.counters.probesSent === 0;
	const what = next.action === 'reset' ? 'rst' : first ? 'first' : 'next';
	// Which rule decides: idle since the server last heard the client (the timer waits out
	// the rest of it, or fires just as it ends), or intvl since the last probe (it fires later).
	const idleLeft = reading.sinceRecv === undefined ? null : inForce.idle - reading.sinceRecv;
	const byIdle = used === 0 && (first || (idleLeft !== null && idleLeft >= dueIn - 2 * jiffy));
	const why = next.action === 'reset' ? null : byIdle ? 'idle' : 'intvl';
	const nextRow: TimerCountdown = isLate
		? {status: 'late', seconds: 0, text: words.late}
		: {status: 'counting', seconds: nextIn, text: words.nextIn(what, duration(nextIn), why)};

	const expectedRstIn = next.action === 'reset' ? nextIn : rstAfter(inForce, reading, nextIn, limit);
	// An RST is only in prospect once a probe went unanswered or the drop is on.
	const rstInProspect = used > 0 || view.drop.on;
	const probes: ProbesCountdown = {
		status: nextRow.status,
		used,
		limit,
		expectedRstIn: rstInProspect ? expectedRstIn : null,
		text: !rstInProspect
			? words.noneUnanswered
			: next.action === 'reset' && isLate
				? words.rstDueLate
				: words.rstExpectedIn(duration(expectedRstIn)),
	};
	return {timer, next: nextRow, probes, reading};
}

/**
 * Seconds to the RST when no answer comes, from a firing `nextIn` ahead that sends a probe:
 * `limit` probes in all, intvl apart; with TCP_USER_TIMEOUT the count is ignored and the
 * reset is the first firing, once a probe is out, at which the peer has been silent that long.
 */
function rstAfter(params: TimerParams, reading: KernelReading, nextIn: number, limit: number): number {
	const used = reading.probesOut;
	if (!params.userTimeout || reading.sinceRecv === undefined) return nextIn + Math.max(0, limit - used) * params.intvl;
	const silentAtNext = reading.sinceRecv + nextIn;
	const firings = Math.ceil((params.userTimeout / 1000 - silentAtNext) / params.intvl - 1e-9);
	return nextIn + Math.max(used > 0 ? 0 : 1, firings) * params.intvl;
}

function isClosed(view: LabView, reading: KernelReading | null): boolean {
	const socket = view.sockets.server.state;
	return (
		view.stopped ||
		socket === 'error' ||
		socket === 'closed' ||
		// The RST ends the server's socket (tcp_done) the moment it leaves.
		serverRstOf(view) !== null ||
		reading?.state === 'gone' ||
		reading?.timer === 'timewait'
	);
}

type Words = Messages['countdowns'];

function closedText(view: LabView, reading: KernelReading | null, words: Words): string {
	const server = view.sockets.server;
	if (server.state === 'error' || server.state === 'closed') {
		// Short enough for the 40 columns of an 80-column terminal.
		const at = server.t === null ? null : formatT(server.t);
		return server.code ? words.closedBy(server.code, at) : words.serverClosed(at);
	}

	const rst = serverRstOf(view);
	if (rst) return words.resetAt(formatT(rst.t));
	if (reading?.state === 'gone') return words.serverGone;
	if (reading?.timer === 'timewait') return words.timeWait;
	return words.labStopped;
}

function pausedText(reading: KernelReading, words: Words): string {
	switch (reading.timer) {
		case 'retransmit':
			return words.retransmit;
		case 'probe':
			return words.zeroWindow;
		case 'none':
			return words.noTimer;
		default:
			return words.otherTimer(reading.timer);
	}
}

/** After the end: when the RST really left, beside the prediction when the summary has one. */
function rstOutcome(view: LabView, words: Words): string {
	const rstAt = view.summary?.rstAt ?? serverRstOf(view)?.t ?? null;
	if (rstAt === null) return words.noRst;
	const expected = view.summary?.expectedRstAt;
	return words.rstAt(formatT(rstAt), expected == null ? null : formatT(expected));
}

/**
 * What of the countdowns reaches the screen: two readings with the same key draw the
 * same countdowns, so a poll that changes nothing visible need not re-render (each
 * render makes Ink rebuild the whole screen).
 */
export function countdownsKey({timer, next, probes}: Countdowns): string {
	return [timer.status, timer.text, next.status, next.text, probes.status, probes.used, probes.text].join('|');
}

/** Reads sooner than this are not worth a round trip; later than this, something may have moved unseen. */
const minPollMs = 20;
export const maxPollMs = 1000;
/** After the boundary, so that the reading shows the new value. */
const pastBoundaryMs = 5;

/**
 * When to read the kernel again: right after the next moment a countdown's text would
 * change (formatSeconds shows tenths below 10 s, whole seconds above), or the kernel's
 * timer fires (it may re-arm without a packet), whichever comes first.
 */
export function pollDelayMs({timer, next, probes}: Countdowns): number {
	const shown = [timer.seconds, next.seconds, probes.expectedRstIn].filter((s): s is number => s !== null && s > 0);
	const untilChange = shown.map(s => s - (s < 10 ? Math.floor(s * 10) / 10 : Math.floor(s)));
	const fires = timer.seconds !== null && timer.seconds > 0 ? [timer.seconds] : [];
	const soonest = Math.min(maxPollMs / 1000, ...untilChange, ...fires);
	return Math.max(minPollMs, Math.round(soonest * 1000) + pastBoundaryMs);
}
