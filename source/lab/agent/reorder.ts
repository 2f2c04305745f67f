import type {LabEvent} from '../shared/events.js';

/**
 * Puts the lab's events back in time order. Packets come from the capture
 * thread and socket errors from the peers' pipes, so the RST can reach the
 * agent after the ECONNRESET it caused. Each event is held until it is
 * `holdSeconds` old (by its own t), and events leave sorted by t.
 */
export class ReorderBuffer {
	private pending: LabEvent[] = [];
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly holdSeconds: number,
		/** The current time on the events' clock, in seconds. */
		private readonly now: () => number,
		private readonly out: (event: LabEvent) => void,
	) {}

	push(event: LabEvent): void {
		this.pending.push(event);
		this.timer ??= setTimeout(() => this.release(this.now() - this.holdSeconds), this.holdSeconds * 1000);
	}

	/** Sends everything that is still held. */
	flush(): void {
		clearTimeout(this.timer);
		this.release(Number.POSITIVE_INFINITY);
	}

	private release(until: number): void {
		this.timer = undefined;
		const due = this.pending.filter(event => event.t <= until);
		this.pending = this.pending.filter(event => event.t > until);
		// sort is stable: events with the same t keep their order of arrival.
		for (const event of due.sort((a, b) => a.t - b.t)) this.out(event);
		if (this.pending.length > 0) {
			this.timer = setTimeout(() => this.release(this.now() - this.holdSeconds), this.holdSeconds * 1000);
		}
	}
}
