import path from 'node:path';
import type {AgentCommand, AgentConfig, AgentMessage} from '../shared/agent-protocol.js';
import type {KernelReading, LabEvent, LabReadyEvent} from '../shared/events.js';
import {type Lab, type LabOptions, LabStartError} from './lab-types.js';
import {nowMs} from '../shared/peer-message.js';
import {checkSandbox, defaultSandbox, sandboxFailure} from './sandbox.js';
import {defaultScenario, scenarios} from '../scenarios/scenarios.js';
import type {AgentLink} from './agent-link.js';
import {spawnAgent} from './spawned-agent.js';
import {loadInProcess, runInProcess} from './in-process.js';
import {inOwnUserNamespace} from '../../user-namespace.js';

/** The article's server port; free in every run since each run has its own namespace. */
export const labPort = 6699;
const stopGraceMs = 2000;

function stoppedError(): Error {
	return new Error('the lab was stopped before it was ready');
}

/**
 * A lab run driven from this process; the namespace and its processes are the agent's.
 * As root (the netns sandbox), and in an ordinary user's program started again in a user
 * namespace of its own, the agent runs in this process, one run at a time (in-process.ts);
 * otherwise (the userns sandbox from outside one), or with `agent: 'process'`, in a process of its own.
 */
export function createLab(options: LabOptions): Lab {
	const sandbox = !options.sandbox || options.sandbox === 'auto' ? defaultSandbox() : options.sandbox;
	// An ordinary user's program started again in a user namespace of its own (user-namespace.ts) may make network namespaces as root does.
	const inProcess = (sandbox === 'netns' || inOwnUserNamespace()) && options.agent !== 'process';
	if (inProcess) void loadInProcess().catch(() => undefined);
	const listeners = new Set<(event: LabEvent) => void>();
	const history: LabEvent[] = [];
	const pendingReads = new Map<number, (readings: KernelReading[]) => void>();
	let nextReadId = 1;
	let agent: AgentLink | undefined;
	let readyAt: number | undefined;
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
		agent?.send(command);
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
			let fatal: LabStartError | undefined;
			const onMessage = (message: AgentMessage) => {
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
			};
			const spawnFailed = (error: Error) => {
				reject(new LabStartError(`could not start the lab: ${error.message}`, 'install util-linux (unshare)'));
			};
			const link = (inProcess ? runInProcess : spawnAgent)(config, {message: onMessage, spawnFailed});
			agent = link;
			void link.ended.then(({code, signal, stderr}) => {
				for (const answer of pendingReads.values()) answer([]);
				pendingReads.clear();
				if (readyAt === undefined) reject(stopping ? stoppedError() : (fatal ?? sandboxFailure(sandbox, stderr || `agent exited (${code ?? signal})`)));
				else if (!stopping && !fatal) {
					publish({t: hostT(), type: 'lab', event: 'error', message: `the lab ended unexpectedly (${code ?? signal}): ${stderr.trim()}`});
				}

				publish({t: hostT(), type: 'lab', event: 'stopped'});
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
			if (!agent?.running()) return Promise.resolve();
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
			// Before it is ready the agent may not read its commands yet; an abort ends it (and its start-up) at once.
			if (readyAt === undefined) agent.abort();
			else send({cmd: 'stop'});
			const timer = setTimeout(() => agent?.kill(), stopGraceMs);
			await agent.ended;
			clearTimeout(timer);
		},
	};
}
