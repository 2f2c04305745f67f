/**
 * The lab's agent: the one process the host starts inside the private network
 * namespace (through unshare). Its first act is to start the client's process,
 * before loading the rest of the agent (lab-agent.ts): the client's Node boots while
 * this one loads the capture, the firewall and the server, instead of after them.
 */
import type {AgentConfig} from '../shared/agent-protocol.js';
import type {PeerMessage} from '../shared/peer-message.js';
import {startClient} from './peer-process.js';
import {natAddresses} from './nat/addresses.js';

const config = JSON.parse(process.argv[2] ?? '{}') as AgentConfig;
const early: PeerMessage[] = [];
let deliver = (message: PeerMessage) => {
	early.push(message);
};

const {idle, intvl, probes} = config;
const nat = config.topology === 'nat';
const clientConfig = {keepalive: config.keepalive.client ? {idle, intvl, probes} : null, answers: config.clientAnswers, ...(nat ? {host: natAddresses.server} : {})};
// With a router between them the client lives in a namespace of its own (nat/topology.ts joins it up).
const client = startClient(config.port, clientConfig, message => deliver(message), nat);
const {runAgent} = await import('./lab-agent.js');
runAgent(client, handler => {
	deliver = handler;
	for (const message of early.splice(0)) handler(message);
});
