import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type TerminalSize = {columns: number; rows: number};

/** The terminal's size from Ink's stdout, updated on every resize; 80 × 24 when unknown. */
export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const read = (): TerminalSize => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = () => {
			setSize(before => {
				const now = read();
				return now.columns === before.columns && now.rows === before.rows ? before : now;
			});
		};

		stdout.on('resize', onResize);
		onResize();
		return () => {
			stdout.off('resize', onResize);
		};
		// `read` only reads stdout.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [stdout]);
	return size;
}
