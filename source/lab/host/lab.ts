import {type ChildProcess, spawn} from 'node:child_process';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import type {AgentCommand, AgentConfig, AgentMessage} from '../shared/agent-protocol.js';
import type {KernelReading, LabEvent, LabReadyEvent} from '../shared/events.js';
import {type Lab, type LabOptions, LabStartError} from './lab-types.js';
import {childEnv} from '../shared/parent-pid.js';
import {nowMs} from '../shared/peer-message.js';
import {checkSandbox, defaultSandbox, sandboxCommand, sandboxFailure} from './sandbox.js';
import {defaultScenario, scenarios} from '../scenarios/scenarios.js';

/** The article's server port; free in every run since each run has its own namespace. */
export const labPort = 6699;
const stopGraceMs = 2000;

/**
 * The agent's environment (its client inherits it). Without NODE_EXTRA_CA_CERTS: Node
 * reads and parses that certificate bundle as it starts (about 80 ms here, in each
 * process), and no lab process makes a TLS connection.
 */
function agentEnv(): NodeJS.ProcessEnv {
	const env = childEnv();
	delete env['NODE_EXTRA_CA_CERTS'];
	return env;
}

function stoppedError(): Error {
	return new Error('the lab was stopped before it was ready');
}

/** A lab run driven from this process; the namespace and its processes live in the agent. */
export function createLab(options: LabOptions): Lab {
	const sandbox = !options.sandbox || options.sandbox === 'auto' ? defaultSandbox() : options.sandbox;
	const listeners = new Set<(event: LabEvent) => void>();
	const history: LabEvent[] = [];
	const pendingReads = new Map<number, (readings: KernelReading[]) => void>();
	let nextReadId = 1;
	let agent: ChildProcess | undefined;
	let readyAt: number | undefined;
	let exited: Promise<void> = Promise.resolve();
	let stopping = false;
	/** Why this run cannot drop, when no firewall tool works in its namespace. */
	let noDrop: LabReadyEvent['firewallProblem'];

	function publish(event: LabEvent): void {
		history.push(event);
		for (const listener of listeners) listener(event);
	}

	function hostT(): number {
		return readyAt === undefined ? 0 : Math.round(nowMs() - readyAt) / 1000;
	}

	function send(command: AgentCommand): void {
		if (agent?.stdin?.writable) agent.stdin.write(JSON.stringify(command) + '\n');
	}

	function start(): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			if (stopping) {
				reject(stoppedError());
				return;
			}

			try {
				checkSandbox(sandbox);
			} catch (error) {
				reject(error);
				return;
			}

			const scenario = scenarios[options.scenario ?? defaultScenario];
			const config: AgentConfig = {
				idle: options.idle,
				intvl: options.intvl,
				probes: options.probes,
				port: labPort,
				sandbox,
				firewall: options.firewall ?? 'auto',
				keepalive: {...scenario.keepalive, ...options.keepalive},
				clientAnswers: scenario.clientAnswers,
				topology: scenario.topology,
				...(scenario.routerTimeout === null ? {} : {natTimeout: options.natTimeout ?? scenario.routerTimeout}),
				...(options.userTimeout === undefined ? {} : {userTimeout: options.userTimeout}),
				...(options.pcap ? {pcap: path.resolve(options.pcap)} : {}),
				...(options.sysctls ? {sysctls: options.sysctls} : {}),
			};
			const agentScript = fileURLToPath(new URL('../agent/agent.js', import.meta.url));
			const [command, ...args] = sandboxCommand(sandbox);
			// Its own process group: a Ctrl-C in the terminal reaches us, and we stop the lab in order.
			const child = spawn(command!, [...args, process.execPath, agentScript, JSON.stringify(config)], {
				stdio: ['pipe', 'pipe', 'pipe'],
				detached: true,
				// unshare execs the agent in place, so its parent is this process.
				env: agentEnv(),
			});
			agent = child;
			// EPIPE when a command races the agent's exit; its close event reports the end.
			child.stdin!.on('error', () => undefined);
			let stderr = '';
			let fatal: LabStartError | undefined;
			child.stderr!.on('data', (chunk: Buffer) => {
				stderr += chunk.toString();
			});
			createInterface({input: child.stdout!}).on('line', line => {
				let message: AgentMessage;
				try {
					message = JSON.parse(line) as AgentMessage;
				} catch {
					return;
				}

				if (message.type === 'reply') {
					pendingReads.get(message.id)?.(message.readings);
					pendingReads.delete(message.id);
				} else if (message.type === 'fatal') {
					fatal = new LabStartError(message.message, message.fix);
					if (readyAt === undefined) reject(fatal);
					else publish({t: hostT(), type: 'lab', event: 'error', message: message.message});
				} else {
					if (message.type === 'lab' && message.event === 'ready') {
						readyAt = nowMs();
						noDrop = message.firewallProblem;
						resolve();
					}

					publish(message);
				}
			});
			exited = new Promise(done => {
				child.once('close', (code, signal) => {
					for (const answer of pendingReads.values()) answer([]);
					pendingReads.clear();
					if (readyAt === undefined) reject(stopping ? stoppedError() : (fatal ?? sandboxFailure(sandbox, stderr || `agent exited (${code ?? signal})`)));
					else if (!stopping && !fatal) {
						publish({t: hostT(), type: 'lab', event: 'error', message: `the lab ended unexpectedly (${code ?? signal}): ${stderr.trim()}`});
					}

					publish({t: hostT(), type: 'lab', event: 'stopped'});
					done();
				});
			});
			child.once('error', error => {
				reject(new LabStartError(`could not start the lab: ${error.message}`, 'install util-linux (unshare)'));
			});
		});
	}

	return {
		start,
		subscribe(listener) {
			for (const event of history) listener(event);
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		pollKernel() {
			if (!agent || agent.exitCode !== null || agent.signalCode !== null) return Promise.resolve();
			const id = nextReadId++;
			return new Promise(resolve => {
				pendingReads.set(id, readings => {
					// The agent's reply has no time of its own: stamped on arrival, as the host's own events are.
					for (const reading of readings) publish({t: hostT(), type: 'kernel', ...reading});
					resolve();
				});
				send({cmd: 'read', id});
			});
		},
		async setDrop(on) {
			if (on && noDrop) throw new LabStartError(`The lab cannot drop packets: ${noDrop.message}`, noDrop.fix);
			send({cmd: 'drop', on});
		},
		async send(side, text) {
			send({cmd: 'send', side, text});
		},
		async freeze(on) {
			send({cmd: 'freeze', on});
		},
		async stop() {
			stopping = true;
			if (!agent) return;
			// Before it is ready the agent may not read its stdin yet; a signal ends it (and its start-up) at once.
			if (readyAt === undefined) agent.kill('SIGTERM');
			else send({cmd: 'stop'});
			const timer = setTimeout(() => agent?.kill('SIGKILL'), stopGraceMs);
			await exited;
			clearTimeout(timer);
		},
	};
}
