import {type ChildProcess, spawn} from 'node:child_process';
import {builtFile} from '../../package-paths.js';
import {childEnv, deathSignalVariable} from '../shared/parent-pid.js';
import {findTool} from '../shared/find-tool.js';
import {onJsonLines} from '../shared/json-lines.js';
import type {ClientCommand, ClientConfig, PeerMessage} from '../shared/peer-message.js';

export type Peer = {
	child: ChildProcess;
	/** Resolves at the peer's first `listening` line; rejects if it exits or fails first. */
	listening: Promise<void>;
	/** Sends the client a command (ClientCommand) on its stdin. */
	command(command: ClientCommand): void;
	kill(): void;
};

/**
 * Starts the client (peers/client.ts, dist/client.js) as a child process and hands each line it prints to onMessage;
 * with `ownNetns`, in a network namespace of its own (unshare execs node in place, so the
 * client is still the agent's child and its parent-death signal points at the agent).
 *
 * Where util-linux has setpriv, it arms the client's parent-death signal and execs the
 * rest in place: the client then need not load ffi-rs for its one prctl (a quicker start
 * and less memory); without it, the client asks for the signal itself.
 */
export function startClient(port: number, config: ClientConfig, onMessage: (message: PeerMessage) => void, ownNetns = false): Peer {
	const script = builtFile('client.js');
	const node = [process.execPath, script, String(port), JSON.stringify(config)];
	const inNetns = ownNetns ? [findTool('unshare') ?? 'unshare', '--net', ...node] : node;
	const setpriv = findTool('setpriv');
	const [file, ...args] = setpriv ? [setpriv, '--pdeathsig', 'KILL', ...inNetns] : inNetns;
	const env = setpriv ? {...childEnv(), [deathSignalVariable]: 'KILL'} : childEnv();
	const child = spawn(file!, args, {stdio: ['pipe', 'pipe', 'pipe'], env});
	// EPIPE when a command races the client's end; its exit is reported by the events below.
	child.stdin?.on('error', () => undefined);
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const listening = new Promise<void>((resolve, reject) => {
		onJsonLines<PeerMessage>(child.stdout!, message => {
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
		command(command) {
			if (child.stdin?.writable) child.stdin.write(JSON.stringify(command) + '\n');
		},
		kill() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		},
	};
}
