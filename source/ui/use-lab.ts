import {useEffect, useReducer, useRef, useState} from 'react';
import type {KernelReading, LabEvent} from '../lab/shared/events.js';
import type {Lab} from '../lab/host/lab-types.js';
import type {KeepaliveParams} from '../lab/shared/params.js';
import {countdowns, countdownsKey, maxPollMs, pollDelayMs} from './lab/countdowns.js';
import {initialLabView, type LabView, labView} from './lab/lab-view.js';


export type UseLab = {
	view: LabView;
	/** The kernel's newest keepalive readings of both sockets (polled while the lab runs). */
	readings: KernelReading[];
};

type Keyed = {lab: Lab | null; view: LabView};
type Action = {lab: Lab; event: LabEvent};

// Events carry their lab: one from a lab that was replaced meanwhile is dropped, and the
// first event of a new lab starts from the initial view.
function reducer(state: Keyed, action: Action): Keyed {
	if (action.lab !== state.lab) return {lab: action.lab, view: labView(initialLabView, action.event)};
	return {lab: state.lab, view: labView(state.view, action.event)};
}

const noReadings: KernelReading[] = [];

/**
 * The one hook on the lab's event stream: subscribes to `lab`, reduces its events into a
 * LabView, and while the lab runs reads the kernel's timers every 100 ms (one call at a time).
 * A new `lab` (a new run) starts from an empty view. `onEvent` sees every event too.
 */
export function useLab(lab: Lab | null, params: KeepaliveParams, onEvent?: (event: LabEvent) => void): UseLab {
	const [state, dispatch] = useReducer(reducer, {lab, view: initialLabView});
	const [polled, setPolled] = useState<{lab: Lab | null; readings: KernelReading[]}>({lab, readings: noReadings});
	const onEventRef = useRef(onEvent);
	const shownKey = useRef('');
	const pollSoon = useRef<(() => void) | undefined>(undefined);
	// Before the subscription below, so that events replayed on subscribe reach the newest callback.
	useEffect(() => {
		onEventRef.current = onEvent;
	});

	useEffect(() => {
		if (!lab) return undefined;
		let active = true;
		const unsubscribe = lab.subscribe(event => {
			if (!active) return;
			dispatch({lab, event});
			onEventRef.current?.(event);
			// The kernel's timer may have moved with it: read it again now, not at the next due time.
			if (event.type === 'packet' || event.type === 'kernel') pollSoon.current?.();
		});
		return () => {
			active = false;
			unsubscribe();
		};
	}, [lab]);

	const view = state.lab === lab ? state.view : initialLabView;
	const viewRef = useRef(view);
	viewRef.current = view;
	const live = lab !== null && view.ready && !view.stopped;

	useEffect(() => {
		if (!lab || !live) return undefined;
		let active = true;
		shownKey.current = '';
		let timer: ReturnType<typeof setTimeout> | undefined;
		let reading = false;
		let again = false;
		// One read at a time. The next one is due when the screen would next change (a tenth
		// or a whole second of a countdown going by, or the kernel's timer firing), at the
		// latest after maxPollMs, and at once after any packet or kernel event.
		const poll = async () => {
			timer = undefined;
			if (reading) {
				again = true;
				return;
			}

			reading = true;
			let waitMs = maxPollMs;
			try {
				const readings = await lab.readKernel();
				const drawn = countdowns(viewRef.current, readings, params);
				waitMs = pollDelayMs(drawn);
				// A reading that changes nothing on screen must not cost even a React render.
				const key = countdownsKey(drawn);
				if (active && key !== shownKey.current) {
					shownKey.current = key;
					setPolled({lab, readings});
				}
			} catch {
				// A read can fail while the lab stops; the stopped event ends the polling.
			}

			reading = false;
			if (!active) return;
			timer = setTimeout(poll, again ? 0 : waitMs);
			again = false;
		};

		pollSoon.current = () => {
			if (timer !== undefined) clearTimeout(timer);
			timer = setTimeout(poll, 0);
		};

		void poll();
		return () => {
			active = false;
			pollSoon.current = undefined;
			if (timer !== undefined) clearTimeout(timer);
		};
	}, [lab, live, params]);

	return {view, readings: polled.lab === lab ? polled.readings : noReadings};
}
