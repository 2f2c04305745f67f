import {useRef} from 'react';

/** `value`, or while `hold` is true the value it had at the last render before. */
export function useHeld<T>(value: T, hold: boolean): T {
	const held = useRef(value);
	if (!hold) held.current = value;
	return held.current;
}
