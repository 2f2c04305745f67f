import type {KeepaliveParams} from './params.js';

/**
 * The model of net/ipv4/tcp_timer.c once the peer stops answering: with its last
 * ACK at `lastAckAt` (seconds), probe i (0-based) leaves at lastAckAt + idle + i·intvl
 * and the RST one intvl after the last probe (the count is checked before sending).
 */
export function expectedTimeline(params: KeepaliveParams, lastAckAt: number): {probes: number[]; rstAt: number} {
	const first = lastAckAt + params.idle;
	const probes = Array.from({length: params.probes}, (_, i) => first + i * params.intvl);
	return {probes, rstAt: first + params.probes * params.intvl};
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

/** How late probe `index` (0-based) may be: each re-arm counts from the real firing, so lateness adds up. */
export function probeLateBound(params: KeepaliveParams, index: number): number {
	return timerSlack(params.idle) + index * timerSlack(params.intvl);
}

/** How late the RST may be: the idle timer and every intvl timer after it. */
export function rstLateBound(params: KeepaliveParams): number {
	return probeLateBound(params, params.probes);
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
