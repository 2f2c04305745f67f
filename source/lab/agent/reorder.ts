import type {LabEvent} from '../shared/events.js';

/** A microsecond, in seconds: far below t's millisecond steps. */
const epsilon = 1e-6;

/**
 * Puts the lab's events back in time order. Packets come from the capture
 * thread and socket errors from the peers' pipes, so the RST can reach the
 * agent after the ECONNRESET it caused. Each event is held until it is
 * `holdSeconds` old (by its own t), and events leave sorted by t — by the exact
 * time given beside it, where t's milliseconds tie (one segment seen at the router's
 * two sides and at the server within the same millisecond leaves in the order it crossed).
 */
export class ReorderBuffer {
	private pending: Array<{event: LabEvent; at: number}> = [];
	private timer: NodeJS.Timeout | undefined;
	/** When the timer fires, on the events' clock. */
	private timerDue = Number.POSITIVE_INFINITY;

	constructor(
		private readonly holdSeconds: number,
		/** The current time on the events' clock, in seconds. */
		private readonly now: () => number,
		private readonly out: (event: LabEvent) => void,
	) {}

	/** `at`: the event's time in seconds on the same clock, unrounded. */
	push(event: LabEvent, at = event.t): void {
		this.pending.push({event, at});
		this.schedule(event.t + this.holdSeconds);
	}

	/** Sends everything that is still held. */
	flush(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		this.timerDue = Number.POSITIVE_INFINITY;
		this.release(Number.POSITIVE_INFINITY);
	}

	/**
	 * Wakes up when the oldest event held is due, not a whole hold after the last
	 * wake-up: an event then waits its hold and no more (a timer fires late, never early).
	 */
	private schedule(due: number): void {
		if (due >= this.timerDue) return;
		clearTimeout(this.timer);
		this.timerDue = due;
		this.timer = setTimeout(
			() => {
				this.timer = undefined;
				this.timerDue = Number.POSITIVE_INFINITY;
				this.release(this.now() - this.holdSeconds);
				if (this.pending.length > 0) this.schedule(Math.min(...this.pending.map(({event}) => event.t)) + this.holdSeconds);
			},
			Math.max(1, Math.ceil((due - this.now()) * 1000 - epsilon * 1000)),
		);
	}

	private release(until: number): void {
		// t is whole milliseconds; the slack keeps a float's last bit from holding one back a whole wake-up.
		const due = this.pending.filter(({event}) => event.t <= until + epsilon);
		this.pending = this.pending.filter(({event}) => event.t > until + epsilon);
		// sort is stable: events of the same time keep their order of arrival.
		for (const {event} of due.sort((a, b) => a.event.t - b.event.t || a.at - b.at)) this.out(event);
	}
}
