import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {ReorderBuffer} from '../../source/lab/agent/reorder.js';
import type {LabEvent} from '../../source/lab/shared/events.js';

const event = (t: number): LabEvent => ({t, type: 'lab', event: 'error', message: String(t)});

describe('reorder buffer', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	function buffer() {
		const out: number[] = [];
		const reorder = new ReorderBuffer(0.04, () => Date.now() / 1000, e => out.push(e.t));
		return {out, reorder};
	}

	it('sends events in time order once they are a hold old, each no later than it must', () => {
		vi.setSystemTime(0);
		const {out, reorder} = buffer();
		reorder.push(event(0));
		vi.advanceTimersByTime(5);
		// Pushed while the first one waits: due 40 ms after its own t, not 40 ms after the first release.
		reorder.push(event(0.004));
		reorder.push(event(0.002));
		vi.advanceTimersByTime(35);
		expect(out).toEqual([0]);
		vi.advanceTimersByTime(4);
		expect(out).toEqual([0, 0.002, 0.004]);
	});

	it('never sends an event before it is a hold old, even when one pushed later is older', () => {
		vi.setSystemTime(30);
		const {out, reorder} = buffer();
		reorder.push(event(0.03));
		reorder.push(event(0.001)); // came late from the capture: due at once
		vi.advanceTimersByTime(11);
		expect(out).toEqual([0.001]);
		vi.advanceTimersByTime(28);
		expect(out).toEqual([0.001]);
		vi.advanceTimersByTime(1);
		expect(out).toEqual([0.001, 0.03]);
	});

	it('flush sends everything held, in order', () => {
		vi.setSystemTime(0);
		const {out, reorder} = buffer();
		reorder.push(event(0.01));
		reorder.push(event(0.005));
		reorder.flush();
		expect(out).toEqual([0.005, 0.01]);
		vi.advanceTimersByTime(100);
		expect(out).toEqual([0.005, 0.01]);
	});
});
