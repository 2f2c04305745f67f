import type {LabEvent} from '../shared/events.js';

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

	constructor(
		private readonly holdSeconds: number,
		/** The current time on the events' clock, in seconds. */
		private readonly now: () => number,
		private readonly out: (event: LabEvent) => void,
	) {}

	/** `at`: the event's time in seconds on the same clock, unrounded. */
	push(event: LabEvent, at = event.t): void {
		this.pending.push({event, at});
		this.timer ??= setTimeout(() => this.release(this.now() - this.holdSeconds), this.holdSeconds * 1000);
	}

	/** Sends everything that is still held. */
	flush(): void {
		clearTimeout(this.timer);
		this.release(Number.POSITIVE_INFINITY);
	}

	private release(until: number): void {
		this.timer = undefined;
		const due = this.pending.filter(({event}) => event.t <= until);
		this.pending = this.pending.filter(({event}) => event.t > until);
		// sort is stable: events of the same time keep their order of arrival.
		for (const {event} of due.sort((a, b) => a.event.t - b.event.t || a.at - b.at)) this.out(event);
		if (this.pending.length > 0) {
			this.timer = setTimeout(() => this.release(this.now() - this.holdSeconds), this.holdSeconds * 1000);
		}
	}
}
