import type {KernelReading, Side} from './events.js';

/** Remembers the last reading per side and tells which new ones a learner would call news. */
export class KernelWatch {
	private readonly last = new Map<Side, KernelReading>();

	/** True when the timer kind, probe or retransmission count or state differ from the last reading of that side. */
	isNews(reading: KernelReading): boolean {
		const before = this.last.get(reading.side);
		this.last.set(reading.side, reading);
		return (
			!before ||
			before.timer !== reading.timer ||
			before.probesOut !== reading.probesOut ||
			before.retransmits !== reading.retransmits ||
			before.state !== reading.state
		);
	}

	/**
	 * For a complete read of the socket table: the readings that are news,
	 * plus a "gone" reading for each side whose socket has left the table.
	 */
	changed(table: KernelReading[]): KernelReading[] {
		return this.complete(table).filter(reading => this.isNews(reading));
	}

	/** A table read with a "gone" reading added for each side seen before and missing from it. */
	complete(table: KernelReading[]): KernelReading[] {
		const present = new Set(table.map(reading => reading.side));
		const gone = [...this.last.values()]
			.filter(reading => !present.has(reading.side))
			.map((reading): KernelReading => ({side: reading.side, state: 'gone', timer: 'none', dueIn: 0, probesOut: 0}));
		return [...table, ...gone];
	}
}
