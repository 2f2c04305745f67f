/**
 * Packet capture without tcpdump: a raw AF_PACKET socket read in a worker thread
 * (capture-worker.ts). Runs inside the lab's network namespace, as real root or as
 * root of a user namespace alike (it needs CAP_NET_RAW there, nothing more).
 *
 * Each frame arrives once (lo's outgoing copies are ignored) with the kernel's own
 * receive timestamp in microseconds since the epoch, the clock tcpdump shows.
 */

import {Worker} from 'node:worker_threads';
// The main thread must hold ffi-rs loaded for as long as the worker may use it: a
// native addon loaded only by a worker is unloaded (dlclose) when that worker's
// environment is torn down, and the process then dies with SIGSEGV as the worker
// thread ends (seen with ffi-rs 1.3.7 on Node 20). This static import keeps it loaded.
import {closeFd} from '../shared/libc.js';
import type {CaptureWorkerData, CaptureWorkerMessage} from './capture-worker.js';

export type Capture = {
	/**
	 * Stops reading, closes the socket and ends the worker (within about 200 ms). Frames
	 * read before the stop are still delivered before it resolves; none after. Rejects
	 * with the capture's error if it failed while running and no onError was given.
	 * Safe to call twice.
	 */
	stop(): Promise<void>;
	/** Frames delivered so far. */
	readonly frames: number;
	/**
	 * Of those, frames the kernel had not stamped on arrival (its receive timestamps were
	 * not switched on yet); their time is the kernel's clock when they were read, at most
	 * the read's latency late. Expected 0.
	 */
	readonly unstamped: number;
};

export type CaptureOptions = {
	/** Called if the capture fails after it started; it has stopped by then. */
	onError?: (error: Error) => void;
	/** How long one blocking read waits before checking for a stop (ms); default 200. */
	readTimeoutMs?: number;
};

/** How long stop() waits for the worker to end by itself before terminating it. */
const stopGraceMs = 1000;

/**
 * Opens the capture. Resolves once the socket is open and bound, so that no frame sent
 * after that is missed; rejects (with the reason, e.g. EPERM) if it cannot be opened.
 */
export async function startCapture(
	onFrame: (frame: Uint8Array, tsMicros: number) => void,
	options: CaptureOptions = {},
): Promise<Capture> {
	const stopFlag = new SharedArrayBuffer(4);
	const workerData: CaptureWorkerData = {stop: stopFlag, readTimeoutMs: options.readTimeoutMs ?? 200};
	const worker = new Worker(new URL('./capture-worker.js', import.meta.url), {workerData});

	let fd: number | undefined;
	let closed = false;
	let exited = false;
	let frames = 0;
	let unstamped = 0;
	let failure: Error | undefined;
	let stopping: Promise<void> | undefined;

	const exit = new Promise<void>((resolve) => {
		worker.once('exit', () => {
			exited = true;
			// The worker normally closes its socket; if it could not (it was terminated
			// or crashed), the descriptor still belongs to this process.
			if (fd !== undefined && !closed) {
				closed = true;
				closeFd(fd);
			}

			resolve();
		});
	});

	let settle: {resolve: () => void; reject: (error: Error) => void} | undefined;
	const ready = new Promise<void>((resolve, reject) => {
		settle = {resolve, reject};
	});

	const fail = (error: Error) => {
		if (settle) {
			settle.reject(error);
			settle = undefined;
			return;
		}

		if (failure || stopping) {
			return;
		}

		failure = error;
		if (options.onError) {
			options.onError(error);
		}
	};

	worker.on('message', (message: CaptureWorkerMessage) => {
		switch (message.type) {
			case 'ready': {
				fd = message.fd;
				settle?.resolve();
				settle = undefined;
				break;
			}

			case 'frame': {
				if (!exited) {
					frames++;
					if (!message.stamped) unstamped++;
					onFrame(new Uint8Array(message.data), message.tsMicros);
				}

				break;
			}

			case 'error': {
				fail(new Error(`packet capture: ${message.message}`));
				break;
			}

			case 'closed': {
				closed = true;
				break;
			}
		}
	});
	worker.on('error', (error) => {
		fail(error);
	});
	void exit.then(() => {
		fail(new Error('packet capture: the capture worker ended unexpectedly'));
	});

	const stop = async (): Promise<void> => {
		stopping ??= (async () => {
			Atomics.store(new Int32Array(stopFlag), 0, 1);
			let timer: NodeJS.Timeout | undefined;
			const late = new Promise<'late'>((resolve) => {
				timer = setTimeout(() => {
					resolve('late');
				}, stopGraceMs);
			});
			if ((await Promise.race([exit, late])) === 'late') {
				await worker.terminate();
				await exit;
			}

			clearTimeout(timer);
		})();
		await stopping;
		if (failure && !options.onError) {
			throw failure;
		}
	};

	try {
		await ready;
	} catch (error) {
		await stop().catch(() => {});
		throw error;
	}

	return {
		stop,
		get frames() {
			return frames;
		},
		get unstamped() {
			return unstamped;
		},
	};
}
