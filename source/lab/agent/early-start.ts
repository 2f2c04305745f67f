/**
 * A run's first acts start what runs outside the agent's own thread, before the rest of
 * the agent (lab-agent.ts) is loaded: the client's process, the firewall tool's probe,
 * and (on loopback) the packet socket, whose timestamps the kernel switches on meanwhile.
 * The client's Node boots, the probe runs and the kernel settles while the agent loads
 * the capture's decoder, the kernel readers and the server, instead of after them.
 * Called inside the run's network namespace.
 */
import type {AgentConfig} from '../shared/agent-protocol.js';
import type {PeerMessage} from '../shared/peer-message.js';
import {startClient} from './peer-process.js';
import {detectFirewall} from './firewall.js';
import {natAddresses} from './nat/addresses.js';
import type {Started} from './lab-agent.js';

/** Hands what comes before a handler is there to the handler, those so far first. */
function relay<A extends unknown[]>(): {send: (...args: A) => void; listen: (handler: (...args: A) => void) => void} {
	const early: A[] = [];
	let deliver = (...args: A) => {
		early.push(args);
	};
	return {
		send: (...args) => deliver(...args),
		listen(handler) {
			deliver = handler;
			for (const args of early.splice(0)) handler(...args);
		},
	};
}

/** Marks a promise as awaited later (by lab-agent.ts), so that an early failure is not an unhandled one. */
function later<T>(promise: Promise<T>): Promise<T> {
	promise.catch(() => undefined);
	return promise;
}

/**
 * Starts the client, the firewall's probe, loopback's bring-up and (on loopback) the
 * capture; `afterClient` runs once the client's process is on its way (the spawned
 * agent arms its parent-death signal there).
 */
export async function startEarly(config: AgentConfig, afterClient: () => Promise<void> = async () => undefined): Promise<Started> {
	const {idle, intvl, probes} = config;
	const nat = config.topology === 'nat';
	const clientConfig = {keepalive: config.keepalive.client ? {idle, intvl, probes} : null, answers: config.clientAnswers, ...(nat ? {host: natAddresses.server} : {})};
	const messages = relay<[PeerMessage]>();
	// With a router between them the client lives in a namespace of its own (nat/topology.ts joins it up).
	const client = startClient(config.port, clientConfig, messages.send, nat);
	const firewall = later(detectFirewall(config.firewall));
	await afterClient();
	// Loaded before lab-agent.js is asked for, so that the socket opens before that graph loads.
	const {startCapture} = await import('./capture.js');
	const frames = relay<[Uint8Array, number]>();
	// nat: the capture listens on the router's link, which exists once lab-agent.ts has built it.
	const capture = nat ? undefined : later(startCapture(frames.send));
	const loUp = later(import('./loopback.js').then(({bringUpLoopback}) => bringUpLoopback()));
	return {client, messages: messages.listen, loUp, firewall, frames: frames.listen, ...(capture ? {capture} : {})};
}
