import {timerSlack} from './timeline.js';

/*
 * When the kernel gives up on data that is never acknowledged (net/ipv4/tcp_timer.c).
 * Each retransmission timeout doubles the RTO (up to TCP_RTO_MAX, 120 s). The clock
 * starts at the first retransmission by that timer (tp->retrans_stamp, stamped as it
 * leaves; a tail loss probe before it does not start it). Without TCP_USER_TIMEOUT the
 * socket fails at the first timer firing once `tcp_retries2` timeouts' worth of time has
 * passed, measured on a model RTO of TCP_RTO_MIN (200 ms): tcp_model_timeout. With
 * TCP_USER_TIMEOUT the timer is clamped to fire when the user timeout has passed
 * (tcp_clamp_rto_to_user_timeout, Linux 4.19+), and that firing fails the socket with
 * ETIMEDOUT. Neither sends an RST. Measured here: first RTO retransmission at 0.558 s,
 * user timeout 3 s, ETIMEDOUT at 3.563 s.
 */

const rtoMin = 0.2;
const rtoMax = 120;
/** ilog2(TCP_RTO_MAX / TCP_RTO_MIN): doublings before the RTO reaches its cap. */
const linearBackoffThreshold = Math.floor(Math.log2(rtoMax / rtoMin));

/** Seconds from the first RTO retransmission after which tcp_retries2 timeouts have run out: tcp_model_timeout. */
export function giveUpAfter(retries2: number): number {
	if (retries2 <= linearBackoffThreshold) return ((2 << retries2) - 1) * rtoMin;
	return ((2 << linearBackoffThreshold) - 1) * rtoMin + (retries2 - linearBackoffThreshold) * rtoMax;
}

export type ErrorRule = {
	/** When the kernel fails the socket with ETIMEDOUT: exact with a user timeout; without, the earliest (the RTO timer's next firing decides). */
	at: number;
	/** How late the kernel may be (the last, clamped, timer is at most the user timeout long); unbounded without one. */
	late: number;
};

/** The kernel's rule for when unacknowledged data, first retransmitted by the RTO timer at `firstRtoAt`, ends the connection. */
export function retransmissionGiveUp(firstRtoAt: number, userTimeoutMs: number | undefined, retries2: number): ErrorRule {
	if (userTimeoutMs) return {at: firstRtoAt + userTimeoutMs / 1000, late: timerSlack(userTimeoutMs / 1000)};
	return {at: firstRtoAt + giveUpAfter(retries2), late: Number.POSITIVE_INFINITY};
}
