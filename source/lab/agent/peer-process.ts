import {type ChildProcess, spawn} from 'node:child_process';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import {childEnv} from '../shared/parent-pid.js';
import type {PeerMessage} from '../shared/peer-message.js';

export type Peer = {
	child: ChildProcess;
	/** Resolves at the peer's first `listening` line; rejects if it exits or fails first. */
	listening: Promise<void>;
	kill(): void;
};

/** Starts peers/client.js as a child process and hands each line it prints to onMessage. */
export function startClient(port: number, onMessage: (message: PeerMessage) => void): Peer {
	const script = fileURLToPath(new URL('../peers/client.js', import.meta.url));
	const child = spawn(process.execPath, [script, String(port)], {stdio: ['pipe', 'pipe', 'pipe'], env: childEnv()});
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const listening = new Promise<void>((resolve, reject) => {
		createInterface({input: child.stdout!}).on('line', line => {
			let message: PeerMessage;
			try {
				message = JSON.parse(line) as PeerMessage;
			} catch {
				return;
			}

			if (message.ev === 'listening') resolve();
			else if (message.ev === 'fatal') reject(new Error(message.message));
			onMessage(message);
		});
		child.once('exit', code => reject(new Error(`the client exited (${code}) before it was ready: ${stderr.trim()}`)));
		child.once('error', reject);
	});
	listening.catch(() => undefined); // the caller awaits it; an unawaited late failure must not crash the agent
	return {
		child,
		listening,
		kill() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		},
	};
}
