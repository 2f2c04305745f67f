import type {RunState} from '../../model/run-state.js';
import {type ErrorRule, retransmissionGiveUp} from '../../model/retransmission.js';
import {baseSummary, round, verdict} from '../../model/summary.js';
import {isOnTime, nextAction, silentFrom, timerSlack, type TimerParams} from '../../model/timeline.js';
import {dropTrigger, ended} from './drop-run.js';
import type {ScenarioRun} from './run-loop.js';

/** Without a user timeout the kernel would retransmit for ~15 minutes: the run watches this many, then ends. */
const watchedRetransmits = 3;
/** A namespace's tcp_retries2 until it says otherwise (the kernel's default). */
const defaultRetries2 = 15;

/**
 * The drop goes on (after the N-th answered probe), then the server writes a line: the data
 * is never acknowledged, so keepalive sends nothing and the kernel retransmits with backoff.
 * With a user timeout the run ends when the server's socket fails; without, once the kernel
 * reported `watchedRetransmits` retransmissions and a keepalive probe would have been due.
 */
export function busyRun(params: TimerParams, dropAfter: number, line: string): ScenarioRun {
	let latest: RunState | undefined;
	let wrote = false;
	let probeWasDue = false;
	const trigger = dropTrigger(dropAfter, () => undefined);
	const over = (run: RunState) => (params.userTimeout ? ended(run, 'server') : probeWasDue && run.retransmitsMax.server >= watchedRetransmits);
	const waitFor = params.userTimeout ? params.userTimeout / 1000 + timerSlack(params.userTimeout / 1000) : 2 * retransmissionGiveUp(0, undefined, watchedRetransmits).at;
	return {
		awaits: params.userTimeout ? 'the user timeout' : `${watchedRetransmits} retransmissions`,
		limit: {seconds: params.idle * (dropAfter + 2) + params.intvl + waitFor + 10, failure: 'the run took longer than the kernel allows'},
		onEvent(run, event, context) {
			latest = run;
			trigger(run, event, context);
			if (!wrote && event.type === 'firewall' && event.action === 'drop') {
				wrote = true;
				void context.lab.send('server', line);
				// When keepalive would have probed, had the server been idle: past it, its silence shows.
				const due = nextAction(params, run.drop.clockAtDrop ?? silentFrom(event.t));
				context.at(due.at + timerSlack(due.after === 'idle' ? params.idle : params.intvl), () => {
					probeWasDue = true;
					// The kernel's count, read now: the retransmission that raised it may have come a while ago.
					void context.lab.pollKernel();
				});
			}

			if (latest && over(latest)) context.endSoon();
		},
		summarize(run, failure) {
			const flight = run.inFlight;
			const retries2 = run.sysctl?.tcp_retries2 ?? defaultRetries2;
			const rule = flight.firstRtoAt === null ? null : retransmissionGiveUp(flight.firstRtoAt, params.userTimeout, retries2);
			const server = run.sockets.server;
			const serverErrorAt = server.state === 'error' ? server.t : null;
			const base = baseSummary(run, params);
			return {
				...base,
				expectedRstAt: null,
				scenario: 'busy',
				retransmissions: flight.retransmissions,
				kernelRetransmits: run.retransmitsMax.server,
				probesWhileUnacked: flight.probesWhileUnacked,
				dataSentAt: flight.firstDataAt,
				firstRtoAt: flight.firstRtoAt,
				serverErrorAt,
				expectedErrorAt: rule && round(rule.at),
				...verdict(failure ?? busyProblem(run, params, rule, serverErrorAt)),
			};
		},
	};
}

/** Exponential backoff on the wire: each gap between RTO retransmissions twice the one before, give or take the timers' rounding (loosely: 1.5× to 2.5×). */
function backsOff(times: number[]): boolean {
	const gaps = times.slice(1).map((t, i) => t - times[i]!);
	return gaps.slice(1).every((gap, i) => gap >= 1.5 * gaps[i]! && gap <= 2.5 * gaps[i]!);
}

/** The kernel's rules for a busy connection, checked on the run; undefined when it kept them. */
function busyProblem(run: RunState, params: TimerParams, rule: ErrorRule | null, serverErrorAt: number | null): string | undefined {
	const flight = run.inFlight;
	const [serverError] = run.socketErrors.server;
	if (flight.firstDataAt === null) return 'the server wrote no data';
	if (flight.probesWhileUnacked > 0) return `${flight.probesWhileUnacked} keepalive probe(s) left while data was unacknowledged`;
	if (flight.retransmissions === 0) return 'no retransmission on the wire';
	if (rule === null) return 'the kernel never counted a retransmission by its timer';
	if (run.rst !== null) return `an RST at ${run.rst.t} s: a retransmission timeout sends none`;
	if (params.userTimeout) {
		if (serverError !== 'ETIMEDOUT' || serverErrorAt === null) return `the server's socket ended with ${serverError ?? 'no error'} instead of ETIMEDOUT`;
		if (!isOnTime(serverErrorAt, rule.at, rule.late)) {
			return `ETIMEDOUT at ${serverErrorAt} s; the kernel's rule says the user timeout after the first RTO retransmission: ${round(rule.at)} s (up to ${round(rule.late)} s late)`;
		}

		return undefined;
	}

	if (run.retransmitsMax.server < watchedRetransmits) return `the kernel reported ${run.retransmitsMax.server} retransmission(s), fewer than ${watchedRetransmits}`;
	if (!backsOff(flight.retransmissionTimes.filter(t => t >= (flight.firstRtoAt ?? 0)))) return `the retransmissions did not back off: ${flight.retransmissionTimes.join(', ')} s`;
	if (serverError !== undefined && (serverErrorAt ?? 0) < rule.at) return `the server's socket failed with ${serverError} before tcp_retries2 ran out`;
	return undefined;
}
