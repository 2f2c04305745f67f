import {createInterface} from 'node:readline';
import type {Readable} from 'node:stream';

/**
 * Hands on each line of a lab process's output that is a JSON message (one per line, as the
 * agent and the client write them); anything else on it (a stray print) is not a message.
 */
export function onJsonLines<T>(input: Readable, onMessage: (message: T) => void): void {
	createInterface({input}).on('line', line => {
		let message: T;
		try {
			message = JSON.parse(line) as T;
		} catch {
			return;
		}

		onMessage(message);
	});
}
