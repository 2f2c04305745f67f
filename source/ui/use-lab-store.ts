import {useEffect, useState, useSyncExternalStore} from 'react';
import type {Lab, LabOptions} from '../lab/host/lab-types.js';
import {createLabStore, type LabSnapshot, type LabStore} from './lab-store/lab-store.js';

/**
 * The tutorial's one lab store, made once from the factory it is given, and its snapshot.
 * Unmounting stops its run: nothing is left behind.
 */
export function useLabStore(startLab: (options: LabOptions) => Lab, options: LabOptions): {store: LabStore; snapshot: LabSnapshot} {
	const [store] = useState(() => createLabStore(startLab, options));
	useEffect(
		() => () => {
			void store.stop();
		},
		[store],
	);
	const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
	return {store, snapshot};
}
