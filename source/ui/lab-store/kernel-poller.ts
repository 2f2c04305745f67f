import type {Lab} from '../../lab/host/lab-types.js';
import type {LabEvent} from '../../lab/shared/events.js';

export type KernelPoller = {
	/** Every event of the run, to time the next read by. */
	saw(event: LabEvent): void;
	stop(): void;
};

/**
 * Has the lab read the kernel (its readings come back as `kernel` events) from now until
 * stopped: one read at a time, the first right away, each next one `delayMs()` after the last,
 * as computed from the newest reading. A packet may have moved the kernel's timer: the next
 * read is then due at once. A reading the lab sends by itself times the next read anew.
 */
export function startKernelPoller(lab: Lab, delayMs: () => number): KernelPoller {
	let active = true;
	let reading = false;
	let again = false;
	let timer: ReturnType<typeof setTimeout> | undefined;

	const schedule = (ms: number) => {
		if (timer !== undefined) clearTimeout(timer);
		timer = setTimeout(poll, ms);
	};

	async function poll(): Promise<void> {
		timer = undefined;
		reading = true;
		// A read can fail while the lab stops; the stopped event ends the polling.
		await lab.pollKernel().catch(() => undefined);
		reading = false;
		if (!active) return;
		schedule(again ? 0 : delayMs());
		again = false;
	}

	// On the next turn, not inside the caller: a lab may send the readings before pollKernel returns.
	schedule(0);
	return {
		saw(event) {
			if (!active) return;
			if (event.type === 'packet') {
				if (reading) again = true;
				else schedule(0);
			} else if (event.type === 'kernel' && !reading) {
				// While a read runs, its own readings arrive; the read times the next one when it is done.
				schedule(delayMs());
			}
		},
		stop() {
			active = false;
			if (timer !== undefined) clearTimeout(timer);
		},
	};
}
