/**
 * The lab's agent: the one process the host starts inside the private network
 * namespace (through unshare). Its first acts start what runs outside its own thread,
 * before it loads the rest of the agent (lab-agent.ts): the client's process, the
 * firewall tool's probe, and (on loopback) the packet socket, whose timestamps the
 * kernel switches on meanwhile. The client's Node boots, the probe runs and the kernel
 * settles while this one loads the capture's decoder, the kernel readers and the
 * server, instead of after them.
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

const config = JSON.parse(process.argv[2] ?? '{}') as AgentConfig;
const {idle, intvl, probes} = config;
const nat = config.topology === 'nat';
const clientConfig = {keepalive: config.keepalive.client ? {idle, intvl, probes} : null, answers: config.clientAnswers, ...(nat ? {host: natAddresses.server} : {})};
const messages = relay<[PeerMessage]>();
// With a router between them the client lives in a namespace of its own (nat/topology.ts joins it up).
const client = startClient(config.port, clientConfig, messages.send, nat);
const firewall = later(detectFirewall(config.firewall));
// libc (ffi-rs) is the agent's heaviest load; the parent-death signal comes first once it is there.
const {dieWithParent} = await import('../shared/libc.js');
dieWithParent();
// Loaded before lab-agent.js is asked for, so that the socket opens before that graph loads.
const {startCapture} = await import('./capture.js');
const frames = relay<[Uint8Array, number]>();
// nat: the capture listens on the router's link, which exists once lab-agent.ts has built it.
const capture = nat ? undefined : later(startCapture(frames.send));
const loUp = later(import('./loopback.js').then(({bringUpLoopback}) => bringUpLoopback()));
const {runAgent} = await import('./lab-agent.js');
const started: Started = {client, messages: messages.listen, loUp, firewall, frames: frames.listen, ...(capture ? {capture} : {})};
runAgent(started);
