import {useRef} from 'react';
import {isDeepStrictEqual} from 'node:util';

/**
 * The value given, or the one of the last render if the two are equal in value: a laid-out
 * screen computed again after a lab event that changed nothing on it keeps its identity,
 * so the memoized components under it are not drawn again.
 */
export function useEqualValue<T>(value: T): T {
	const last = useRef(value);
	if (last.current !== value && !isDeepStrictEqual(last.current, value)) last.current = value;
	return last.current;
}
