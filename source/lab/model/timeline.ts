import type {KeepaliveParams} from '../shared/params.js';

/** The keepalive values and, where set, TCP_USER_TIMEOUT (ms; 0 or absent = off). */
export type TimerParams = KeepaliveParams & {userTimeout?: number};

/**
 * Whether the keepalive timer, firing `sinceRecv` seconds after the last receive with
 * `unanswered` probes out, resets instead of probing. With TCP_USER_TIMEOUT set, TCP_KEEPCNT
 * is ignored: it resets once the user timeout has passed since the last receive and one
 * probe has gone out (net/ipv4/tcp_timer.c, tcp_keepalive_timer).
 */
export function resetsNow(params: TimerParams, unanswered: number, sinceRecv: number): boolean {
	if (params.userTimeout) return unanswered > 0 && sinceRecv >= params.userTimeout / 1000;
	return unanswered >= params.probes;
}

/**
 * What the server's kernel knows when it decides on keepalive
 * (net/ipv4/tcp_timer.c, tcp_keepalive_timer), as seen on the wire.
 */
export type KeepaliveClock = {
	/** When the server last received a segment from its peer (tp->rcv_tstamp). */
	heardAt: number;
	/** When the server sent its latest probe, if it has sent one. */
	probeAt: number | null;
	/** Probes sent since `heardAt` (icsk_probes_out: any received ACK resets it). */
	unanswered: number;
};

/** One thing the keepalive timer will do, when the peer stays silent. */
export type TimerAction = {
	action: 'probe' | 'reset';
	/** When, in the same seconds as the clock's times. */
	at: number;
	/** Which timer length the action waits out last: the idle after the last receive, or one intvl after a probe. */
	after: 'idle' | 'intvl';
};

/**
 * The kernel's next keepalive action. Each probe arms the timer for intvl; when it
 * fires, the kernel probes at once if idle has passed since the last receive, else
 * waits out the rest of idle. So with no probe out the next one leaves at
 * max(heardAt + idle, probeAt + intvl); with probes out, one intvl after the last,
 * and the RST instead once `probes` of them went unanswered (checked before sending).
 */
export function nextAction(params: TimerParams, clock: KeepaliveClock): TimerAction {
	if (clock.unanswered > 0 && clock.probeAt !== null) {
		const at = clock.probeAt + params.intvl;
		return {action: resetsNow(params, clock.unanswered, at - clock.heardAt) ? 'reset' : 'probe', at, after: 'intvl'};
	}

	const idleOver = clock.heardAt + params.idle;
	const timerFires = clock.probeAt === null ? idleOver : clock.probeAt + params.intvl;
	return timerFires > idleOver ? {action: 'probe', at: timerFires, after: 'intvl'} : {action: 'probe', at: idleOver, after: 'idle'};
}

/** What a reading of the server's socket says about its keepalive timer (a KernelReading's fields). */
export type TimerReading = {timer: string; dueIn: number; probesOut: number; sinceRecv?: number};

/**
 * The next keepalive action, derived from one kernel reading: the timer fires in
 * `dueIn`; if by then idle has not passed since the last receive, it only re-arms
 * for the rest. So the next probe is due at max(dueIn, idle − sinceRecv), or at
 * dueIn with probes out (the peer has been silent longer than idle); that firing
 * resets the connection instead once `probes` probes went unanswered.
 * Null while another timer (or none) runs.
 */
export function nextFromReading(params: TimerParams, reading: TimerReading): {in: number; action: 'probe' | 'reset'} | null {
	if (reading.timer !== 'keepalive') return null;
	const due = Math.max(0, reading.dueIn);
	if (reading.probesOut > 0) {
		// Without tcp_info's sinceRecv, a user timeout cannot be judged from this reading: say probe.
		const resets = reading.sinceRecv === undefined && params.userTimeout ? false : resetsNow(params, reading.probesOut, (reading.sinceRecv ?? 0) + due);
		return {in: due, action: resets ? 'reset' : 'probe'};
	}
	const idleLeft = reading.sinceRecv === undefined ? 0 : params.idle - reading.sinceRecv;
	return {in: Math.max(due, idleLeft), action: 'probe'};
}

export type ExpectedTimeline = {
	/** Times of the probes still to come, then the RST, if the peer never answers again. */
	probes: number[];
	rstAt: number;
	/** How late the kernel may be for each probe and for the RST (timerSlack, adding up). */
	probeLate: number[];
	rstLate: number;
};

/** Every probe and the RST from this clock on, when nothing more is heard from the peer. */
export function expectedTimeline(params: TimerParams, clock: KeepaliveClock): ExpectedTimeline {
	const probes: number[] = [];
	const probeLate: number[] = [];
	let state = clock;
	let late = 0;
	// At most `probes` probes, or with a user timeout one per intvl until it has passed, then the reset.
	for (;;) {
		const next = nextAction(params, state);
		late += timerSlack(next.after === 'idle' ? params.idle : params.intvl);
		if (next.action === 'reset') return {probes, rstAt: next.at, probeLate, rstLate: late};
		probes.push(next.at);
		probeLate.push(late);
		state = {heardAt: state.heardAt, probeAt: next.at, unanswered: state.unanswered + 1};
	}
}

/** A peer last heard at `heardAt` that had never been probed: the textbook timeline. */
export function silentFrom(heardAt: number): KeepaliveClock {
	return {heardAt, probeAt: null, unanswered: 0};
}

// kernel/time/timer.c rounds a timer up to its wheel level's granularity, at most 1/8
// of its length; it then runs at the next tick (one jiffy, 10 ms at HZ=100, the
// coarsest) once the timer softirq gets the CPU (50 ms allowance, a loaded laptop).
const wheelRounding = 1 / 8;
export const jiffy = 0.01;
const schedulingAllowance = 0.05;

/** The most the kernel can make a timer of this length late, in seconds. */
export function timerSlack(delaySeconds: number): number {
	return delaySeconds * wheelRounding + jiffy + schedulingAllowance;
}

/**
 * How early a timer may look: the kernel stamps the ACK in whole jiffies (rounding
 * down), so a timer can fire up to one jiffy before the real time since the ACK.
 */
export const earlyBound = jiffy;

/** Whether something the model puts at `expected` really came within the kernel's bounds. */
export function isOnTime(actual: number, expected: number, lateBound: number): boolean {
	return actual >= expected - earlyBound && actual <= expected + lateBound;
}
