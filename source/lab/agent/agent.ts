/**
 * The lab's agent: the one process the host starts inside the private network
 * namespace (through unshare). Its first act is to start the client's process,
 * before loading the rest of the agent (lab-agent.ts): the client's Node boots while
 * this one loads the capture, the firewall and the server, instead of after them.
 */
import type {AgentConfig} from '../shared/agent-protocol.js';
import type {PeerMessage} from '../shared/peer-message.js';
import {startClient} from './peer-process.js';

const {port} = JSON.parse(process.argv[2] ?? '{}') as AgentConfig;
const early: PeerMessage[] = [];
let deliver = (message: PeerMessage) => {
	early.push(message);
};

const client = startClient(port, message => deliver(message));
const {runAgent} = await import('./lab-agent.js');
runAgent(client, handler => {
	deliver = handler;
	for (const message of early.splice(0)) handler(message);
});
