import type {KernelReading} from '../../lab/events.js';
import type {KeepaliveParams} from '../../lab/params.js';
import {formatSeconds, formatT} from './format.js';
import type {LabView} from './lab-view.js';

/**
 * - waiting: nothing read from the kernel yet
 * - counting: the kernel's timer is running; `seconds` is its due time
 * - late: the kernel reports the timer due (0) yet it has not fired: the timer wheel makes long timers late
 * - inactive: this countdown is not the one running now (e.g. intvl before the first probe)
 * - paused: another kernel timer runs instead of keepalive (retransmit, zero-window probe) or none
 * - closed: the server's socket is gone
 */
export type CountdownStatus = 'waiting' | 'counting' | 'late' | 'inactive' | 'paused' | 'closed';

export type TimerCountdown = {
	status: CountdownStatus;
	/** The kernel's dueIn, when this countdown is the running one. */
	seconds: number | null;
	text: string;
};

export type ProbesCountdown = {
	status: CountdownStatus;
	/** Unanswered probes so far (the kernel's probesOut); null when unknown. */
	used: number | null;
	/** TCP_KEEPCNT as the server's socket read it back (else the run's parameter). */
	limit: number;
	/** A prediction, not a reading: dueIn + (limit − used)·intvl, when no answer comes. */
	expectedRstIn: number | null;
	text: string;
};

export type Countdowns = {
	idle: TimerCountdown;
	intvl: TimerCountdown;
	probes: ProbesCountdown;
	/** The server reading the countdowns were computed from. */
	reading: KernelReading | null;
};

const late = 'due — kernel timer running late';

/**
 * What the three countdowns show, from the kernel's readings of the server's socket
 * (`readings`, polled; else the newest `kernel` event). The limit and interval are the
 * values the socket read back, falling back to `params` until the sockopt event came.
 */
export function countdowns(view: LabView, readings: readonly KernelReading[], params: KeepaliveParams): Countdowns {
	const reading = readings.find(r => r.side === 'server') ?? view.kernel.server ?? null;
	const readBack = view.sockopt.server;
	const limit = readBack?.probes ?? params.probes;
	const intvl = readBack?.intvl ?? params.intvl;

	if (isClosed(view, reading)) {
		const text = closedText(view, reading);
		return {
			idle: {status: 'closed', seconds: null, text},
			intvl: {status: 'closed', seconds: null, text: 'no timer: the socket is gone'},
			probes: {status: 'closed', used: null, limit, expectedRstIn: null, text: rstOutcome(view)},
			reading,
		};
	}

	if (!reading) {
		const text = view.ready ? 'waiting for the kernel' : 'waiting for the lab';
		return {
			idle: {status: 'waiting', seconds: null, text},
			intvl: {status: 'waiting', seconds: null, text},
			probes: {status: 'waiting', used: null, limit, expectedRstIn: null, text},
			reading,
		};
	}

	const used = reading.probesOut;
	if (reading.timer !== 'keepalive') {
		const text = pausedText(reading);
		return {
			idle: {status: 'paused', seconds: null, text},
			intvl: {status: 'paused', seconds: null, text},
			probes: {status: 'paused', used, limit, expectedRstIn: null, text: `${used}/${limit} unanswered`},
			reading,
		};
	}

	// While no probe is out, the timer may fire early only to re-arm: the kernel's next
	// probe is due at max(dueIn, idle − time since the socket last heard from the peer).
	const idle = readBack?.idle ?? params.idle;
	const sinceRecv = used === 0 ? reading.sinceRecv : undefined;
	const due = Math.max(0, reading.dueIn, sinceRecv === undefined ? 0 : idle - sinceRecv);
	const isLate = due === 0;
	const running: TimerCountdown = isLate
		? {status: 'late', seconds: 0, text: late}
		: {status: 'counting', seconds: due, text: ''};
	const remaining = Math.max(0, limit - used);
	const expectedRstIn = due + remaining * intvl;
	// An RST is only in prospect once a probe went unanswered or the drop is on.
	const rstInProspect = used > 0 || view.drop.on;
	const probes: ProbesCountdown = {
		status: running.status,
		used,
		limit,
		expectedRstIn: rstInProspect ? expectedRstIn : null,
		text: !rstInProspect
			? 'none unanswered'
			: remaining === 0 && isLate
				? 'RST due, kernel timer late'
				: `RST expected in ${formatSeconds(expectedRstIn)}`,
	};

	if (used === 0) {
		return {
			idle: isLate ? running : {...running, text: `${view.counters.probesSent > 0 ? 'next' : 'first'} probe in ${formatSeconds(due)}`},
			intvl: {status: 'inactive', seconds: null, text: 'starts after the first probe'},
			probes,
			reading,
		};
	}

	return {
		idle: {status: 'inactive', seconds: null, text: 'over: probing'},
		intvl: isLate
			? running
			: {...running, text: remaining === 0 ? `RST in ${formatSeconds(due)}` : `next probe in ${formatSeconds(due)}`},
		probes,
		reading,
	};
}

function isClosed(view: LabView, reading: KernelReading | null): boolean {
	const socket = view.sockets.server.state;
	return (
		view.stopped ||
		socket === 'error' ||
		socket === 'closed' ||
		reading?.state === 'gone' ||
		reading?.timer === 'timewait'
	);
}

function closedText(view: LabView, reading: KernelReading | null): string {
	const server = view.sockets.server;
	if (server.state === 'error' || server.state === 'closed') {
		// Short enough for the 40 columns of an 80-column terminal.
		const at = server.t === null ? '' : ` at ${formatT(server.t)} s`;
		return server.code ? `closed by ${server.code}${at}` : `server closed${at}`;
	}

	if (reading?.state === 'gone') return 'server socket gone';
	if (reading?.timer === 'timewait') return 'server socket in TIME_WAIT';
	return 'lab stopped';
}

function pausedText(reading: KernelReading): string {
	switch (reading.timer) {
		case 'retransmit':
			return 'paused: retransmit timer runs';
		case 'probe':
			return 'paused: zero-window probe timer';
		case 'none':
			return 'no kernel timer running';
		default:
			return `${reading.timer} timer`;
	}
}

/** After the end: when the RST really left, beside the prediction when the summary has one. */
function rstOutcome(view: LabView): string {
	const rstAt = view.summary?.rstAt ?? view.packets.find(p => p.kind === 'rst' && p.from === 'server')?.t ?? null;
	if (rstAt === null) return 'no RST seen';
	const expected = view.summary?.expectedRstAt;
	return `RST at ${formatT(rstAt)} s${expected == null ? '' : `, expected ${formatT(expected)}`}`;
}

/**
 * What of a set of readings reaches the screen: two sets with the same key draw the
 * same countdowns, so a poll that changes nothing visible need not re-render (each
 * render makes Ink rebuild the whole screen). Without params, every reading field counts.
 */
export function readingsKey(readings: readonly KernelReading[], view?: LabView, params?: KeepaliveParams): string {
	if (view && params) {
		// What is drawn: the texts and states, not the raw seconds behind them.
		const {idle, intvl, probes} = countdowns(view, readings, params);
		return [idle.status, idle.text, intvl.status, intvl.text, probes.status, probes.used, probes.text].join('|');
	}

	return readings
		.map(r => `${r.side} ${r.state} ${r.timer} ${r.probesOut} ${formatSeconds(r.dueIn)} ${r.sinceRecv === undefined ? '' : formatSeconds(r.sinceRecv)}`)
		.join('|');
}
