/**
 * The lab's agent, run once the client's process, the firewall's probe, loopback's
 * bring-up (loopback.ts) and, on loopback, the packet capture are on their way
 * (early-start.ts): it holds the server's socket, decodes every frame captured, reads the kernel's
 * keepalive timers and runs the firewall. Everything it starts ends with its run, and the
 * namespace with the last of them.
 *
 * It runs either in a process of its own (agent.ts: config in argv, commands on stdin,
 * messages on stdout) or in the host's own process (host/in-process.ts); `AgentIo` is
 * the difference. All of a run's state lives in one call of runAgent.
 */
import {closeSync, fstatSync, ftruncateSync, openSync, readFileSync, writeFileSync, writeSync} from 'node:fs';
import type {AgentCommand, AgentConfig, AgentMessage} from '../shared/agent-protocol.js';
import {KernelWatch} from '../shared/kernel-watch.js';
import {type KeepaliveServer, startServer} from './keepalive-server.js';
import type {Peer} from './peer-process.js';
import {ReorderBuffer} from './reorder.js';
import {type Capture, startCapture} from './capture.js';
import {classify, type Conversation, initialConversation} from './decode/classify.js';
import {decodeFrame} from './decode/frame.js';
import type {FirewallTool, KernelReading, LabEvent, Side, SysctlEvent} from '../shared/events.js';
import {dropOff, dropOn, droppedCount, type FirewallAdvice, FirewallUnavailable} from './firewall.js';
import {pcapGlobalHeader, pcapRecord} from '../shared/pcap.js';
import type {PeerMessage} from '../shared/peer-message.js';
import {nowMs} from '../shared/peer-message.js';
import {readKernelSync} from './proc-tcp.js';
import {closeSockDiag, readSockDiag, type SockDiag, sockDiagIn} from './sock-diag.js';
import {toKernelReading} from './sock-diag-codec.js';
import {sysctlNames} from '../shared/params.js';
import {natAddresses} from './nat/addresses.js';
import {assertAwayFromHome} from './run-home.js';
// The NAT scenario's modules are loaded only for it (nat/topology.js, nat/router-watch.js).
import type {Topology} from './nat/topology.js';
import type {RouterWatch} from './nat/router-watch.js';

// The kernel is read after every packet and every peer report (a timer armed by
// setsockopt, a socket closed); this slow poll is only a safety net for anything else.
const kernelPollMs = 2000;

type WithoutT<E> = E extends LabEvent ? Omit<E, 't'> : never;

/** What early-start.ts started before this module was loaded; each `listen` hands over what came so far first. */
export type Started = {
	client: Peer;
	messages: (handler: (message: PeerMessage) => void) => void;
	loUp: Promise<void>;
	/** The firewall tool that works here; rejects with FirewallUnavailable when none does. */
	firewall: Promise<FirewallTool>;
	/** On loopback the capture, on its way; nat: none yet (it listens on the router's link, built here). */
	capture?: Promise<Capture>;
	/** The early capture's frames. */
	frames: (handler: (frame: Uint8Array, tsMicros: number) => void) => void;
};

/** How a run talks to its host: messages out, and its end (with the exit code a process of its own would have). */
export type AgentIo = {
	emit(message: AgentMessage): void;
	exit(code: number): void;
};

function processStopped(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The state follows the command name, which is in parentheses and may hold spaces.
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'T';
	} catch {
		return false;
	}
}

/** Runs the lab around what was started (early-start.ts); returns what takes the host's commands. A `stop` ends it. */
export function runAgent(config: AgentConfig, started: Started, io: AgentIo): (command: AgentCommand) => void {
	let t0 = 0;
	const seconds = (ms: number) => Math.round(ms - t0) / 1000;

	const emit = io.emit;
	// Long enough for a frame to cross from the capture thread, short enough to feel live.
	const reorder = new ReorderBuffer(0.04, () => seconds(nowMs()), emit);
	function emitAt(ms: number, event: WithoutT<LabEvent>): void {
		reorder.push({t: seconds(ms), ...event} as LabEvent, (ms - t0) / 1000);
	}

	let server: KeepaliveServer | undefined;
	let client: Peer | undefined;
	let capture: Capture | undefined;
	let topology: Topology | undefined;
	let router: RouterWatch | undefined;
	let clientDiag: SockDiag | undefined;
	/** The netlink socket of this run's own namespace (each run has its own namespace, and so its own socket). */
	const serverDiag: SockDiag = {};
	let pcapFd: number | undefined;
	let poller: NodeJS.Timeout | undefined;
	let shuttingDown = false;
	/** The start-up, and the firewall's commands in flight: a stop waits for them, so that nothing of the run acts after its end. */
	let starting: Promise<void> = Promise.resolve();
	let armed: Promise<Capture | undefined> | undefined;
	let built: Promise<Topology | undefined> | undefined;
	const inFlight = new Set<Promise<unknown>>();
	function tracked<T>(work: Promise<T>): Promise<T> {
		inFlight.add(work);
		void work.then(
			() => inFlight.delete(work),
			() => inFlight.delete(work),
		);
		return work;
	}

	/** Ends the start-up where a stop came while it waited: what it would start next is not started. */
	function live(): void {
		if (shuttingDown) throw new Error('the lab was stopped');
	}

	function shutdown(code: number): void {
		if (shuttingDown) return;
		shuttingDown = true;
		clearInterval(poller);
		clearTimeout(counterTimer);
		client?.kill();
		const settled = Promise.allSettled([starting, ...inFlight]);
		void settled
			.then(async () => {
				server?.close();
				// A start-up ended by the stop may have left these on their way.
				capture ??= await armed?.catch(() => undefined);
				topology ??= await built?.catch(() => undefined);
				await Promise.allSettled([capture?.stop(), router?.stop()]);
			})
			.finally(() => {
				topology?.stop();
				closeSockDiag(serverDiag);
				if (clientDiag) closeSockDiag(clientDiag);
				reorder.flush();
				if (pcapFd !== undefined) closeSync(pcapFd);
				io.exit(code);
			});
	}

	function fatal(message: string, fix: string): never {
		emit({type: 'fatal', message, fix});
		shutdown(1);
		throw new Error(message);
	}

	// --- kernel readings -------------------------------------------------------
	let useProc = false;

	/**
	 * Both sockets' keepalive state from the kernel: sock_diag's exact lookups cost
	 * microseconds; /proc/net/tcp (milliseconds: it walks the host-sized hash) is the
	 * fallback where sock_diag is missing.
	 */
	function kernelReadings(): KernelReading[] {
		if (!useProc) {
			try {
				// nat: the client's socket lives in the client's namespace, read there.
				const client = clientDiag ? readSockDiag(config.port, {}, clientDiag) : [];
				return [...readSockDiag(config.port, {}, serverDiag), ...client].map(toKernelReading);
			} catch (error) {
				useProc = true;
				emitAt(nowMs(), {type: 'lab', event: 'error', message: `sock_diag unavailable, reading /proc/net/tcp instead: ${(error as Error).message}`});
			}
		}

		return readKernelSync(config.port);
	}

	const watch = new KernelWatch();
	let kernelBusy = false;

	async function emitKernel(force: boolean): Promise<void> {
		if (kernelBusy && !force) return;
		kernelBusy = true;
		try {
			const at = nowMs();
			const readings = kernelReadings();
			const changed = watch.changed(readings);
			// After a packet every side is reported, news or not (the contract's "after each packet").
			const toEmit = force ? [...readings, ...changed.filter(reading => reading.state === 'gone')] : changed;
			for (const reading of toEmit) emitAt(at, {type: 'kernel', ...reading});
		} finally {
			kernelBusy = false;
		}
	}

	// --- firewall ---------------------------------------------------------------
	let firewall: FirewallTool | undefined;
	/** Why there is no firewall: the lab still runs (lessons that only watch need none), but cannot drop. */
	let noFirewall: FirewallAdvice | undefined;
	let clientPort = 0;
	let drop: {command: string; dropped: number} | undefined;

	async function setDrop(on: boolean): Promise<void> {
		if (!firewall) {
			if (on) throw new Error(noFirewall ? `${noFirewall.message} ${noFirewall.fix}` : 'the lab is not ready yet');
			return;
		}

		if (clientPort === 0) throw new Error('the client has not connected yet');
		if (on && !drop) {
			const command = await tracked(dropOn(firewall, clientPort));
			drop = {command, dropped: 0};
			emitAt(nowMs(), {type: 'firewall', action: 'drop', command, dropped: 0});
		} else if (!on && drop) {
			const dropped = await tracked(droppedCount(firewall, clientPort));
			const command = await tracked(dropOff(firewall, clientPort));
			drop = undefined;
			emitAt(nowMs(), {type: 'firewall', action: 'allow', command, dropped});
		}
	}

	let counterTimer: NodeJS.Timeout | undefined;
	/** The capture sees a client packet before netfilter drops it; read the rule's counter just after. */
	function scheduleCounterRead(): void {
		if (!drop || counterTimer) return;
		counterTimer = setTimeout(async () => {
			counterTimer = undefined;
			if (!drop || !firewall || shuttingDown) return;
			const dropped = await tracked(droppedCount(firewall, clientPort));
			if (drop && dropped !== drop.dropped) {
				drop.dropped = dropped;
				emitAt(nowMs(), {type: 'firewall', action: 'drop', command: drop.command, dropped});
			}
		}, 20);
	}

	// --- freezing the client ---------------------------------------------------------
	let frozen = false;

	/** Stops or continues the client's process; reported once /proc/<pid>/stat shows it stopped (T) or running again. */
	async function setFrozen(peer: Peer, on: boolean): Promise<void> {
		const pid = peer.child.pid;
		if (pid === undefined || on === frozen || peer.child.exitCode !== null) return;
		frozen = on;
		const signalledAt = nowMs();
		process.kill(pid, on ? 'SIGSTOP' : 'SIGCONT');
		// The signal is delivered asynchronously; a few milliseconds at most.
		for (let tries = 0; tries < 100 && processStopped(pid) !== on; tries++) await new Promise(resolve => setTimeout(resolve, 2));
		// Each stamp is the safe side: frozen once seen stopped, resumed from SIGCONT on (it may run,
		// and read, before it is seen running).
		emitAt(on ? nowMs() : signalledAt, {type: 'peer', side: 'client', event: on ? 'frozen' : 'resumed', pid});
	}

	// --- capture ------------------------------------------------------------------
	let conversation: Conversation = initialConversation(config.port);

	/** A capture file that can no longer be written (a full disk) ends the file, not the lab; said once. */
	function writePcap(fd: number, record: Buffer): void {
		let written = 0;
		try {
			// After a short write (the disk just filled up) the rest either goes out or fails with the reason.
			while (written < record.length) written += writeSync(fd, record.subarray(written));
		} catch (error) {
			pcapFd = undefined;
			// Whole records only: readers reject a file whose last record is cut.
			try {
				ftruncateSync(fd, fstatSync(fd).size - written);
			} catch {}

			closeSync(fd);
			emitAt(nowMs(), {type: 'lab', event: 'error', message: `could not write the capture file ${config.pcap}: ${(error as Error).message}`});
		}
	}

	function onFrame(frame: Uint8Array, tsMicros: number): void {
		if (pcapFd !== undefined) writePcap(pcapFd, pcapRecord(tsMicros, frame));
		const segment = decodeFrame(frame);
		if (!segment || (segment.srcPort !== config.port && segment.dstPort !== config.port)) return;
		const result = classify(conversation, segment);
		conversation = result.conv;
		emitAt(tsMicros / 1000, result.packet);
		if (result.packet.from === 'client') scheduleCounterRead();
		void emitKernel(true);
	}

	// --- peers --------------------------------------------------------------------
	function onPeer(side: Side, message: PeerMessage): void {
		// What a peer reports (keepalive set, connected, failed, closed) changes its socket's kernel state.
		if (t0 !== 0) void emitKernel(false);
		switch (message.ev) {
			case 'sockopt': {
				const {idle, intvl, probes, nodeDefaults, keepalive, userTimeout} = message;
				emitAt(nowMs(), {type: 'sockopt', side, idle, intvl, probes, nodeDefaults, keepalive, ...(userTimeout === undefined ? {} : {userTimeout})});
				break;
			}

			case 'sent':
			case 'received': {
				emitAt(message.at, {type: 'app', side, event: message.ev, bytes: message.bytes, text: message.text});
				break;
			}

			case 'write-error': {
				emitAt(message.at, {type: 'app', side, event: 'error', bytes: 0, code: message.code});
				break;
			}

			case 'connected': {
				if (side === 'client') clientPort = message.localPort;
				emitAt(message.at, {
					type: 'socket',
					side,
					event: 'connected',
					localPort: message.localPort,
					remotePort: message.remotePort,
				});
				break;
			}

			case 'error': {
				emitAt(message.at, {type: 'socket', side, event: 'error', code: message.code});
				break;
			}

			case 'closed': {
				emitAt(message.at, {type: 'socket', side, event: 'closed'});
				break;
			}

			case 'fatal': {
				emitAt(nowMs(), {type: 'lab', event: 'error', message: message.message});
				break;
			}

			case 'listening': {
				break;
			}
		}
	}

	const sysctlPath = (name: string) => `/proc/sys/net/ipv4/${name}`;

	/** Sets the namespace's own keepalive sysctls (the host's stay as they are) and reads all three back. */
	function applySysctls(): Omit<SysctlEvent, 't' | 'type'> {
		assertAwayFromHome('set the keepalive sysctls');
		for (const [key, value] of Object.entries(config.sysctls ?? {})) {
			writeFileSync(sysctlPath(sysctlNames[key as keyof typeof sysctlNames]), String(value));
		}

		const read = (name: string) => Number(readFileSync(sysctlPath(name), 'utf8').trim());
		return {
			tcp_keepalive_time: read(sysctlNames.idle),
			tcp_keepalive_intvl: read(sysctlNames.intvl),
			tcp_keepalive_probes: read(sysctlNames.probes),
			tcp_retries2: read('tcp_retries2'),
		};
	}

	/** nat: the router and its namespaces around the client, once the firewall tool is known; the fix when it cannot be built. */
	async function buildNat(peer: Peer): Promise<Topology> {
		if (!firewall) fatal(`the NAT scenario's router needs a firewall tool: ${noFirewall?.message ?? 'none found'}`, noFirewall?.fix ?? 'install iptables or nftables');
		try {
			if (config.natTimeout === undefined) throw new Error('the host gave no router timeout (natTimeout)');
			const {buildTopology} = await import('./nat/topology.js');
			return await buildTopology(peer.child.pid!, firewall, config.natTimeout);
		} catch (error) {
			const message = (error as Error).message;
			const fix = /conntrack|netfilter/.test(message)
				? 'The router needs the kernel\'s conntrack (nf_conntrack): load it as root (sudo modprobe nf_conntrack) or run the lab as root: sudo npx ka-tutorial lab --scenario nat.'
				: 'Run the lab as root (sudo npx ka-tutorial lab --scenario nat), or see the message above.';
			fatal(`could not build the NAT scenario's router: ${message}`, fix);
		}
	}

	async function start(): Promise<void> {
		const peer = started.client;
		const nat = config.topology === 'nat';
		const capturing = (opened: Promise<Capture>) =>
			opened.catch((error: Error) => {
				fatal(`could not open a packet socket in the lab's namespace: ${error.message}`, 'run the lab as root or in a user namespace');
			});
		const loUp = started.loUp.catch(error => {
			fatal(`could not bring up loopback in the lab's namespace: ${(error as Error).message}`, 'run the lab as root or in a user namespace (it needs CAP_NET_ADMIN there)');
		});
		const tool = started.firewall.then(
			found => {
				firewall = found;
			},
			(error: Error) => {
				noFirewall = {message: error.message, fix: error instanceof FirewallUnavailable ? error.fix : 'see the message above'};
			},
		);
		// nat: the server's side of the router is s0, which exists once the topology does; a frame
		// the server sends there passes only outgoing, so outgoing frames are kept.
		built = nat ? Promise.all([loUp, tool]).then(() => (live(), buildNat(peer))) : Promise.resolve(undefined);
		// nat: buildNat has said why it failed (its fatal); `await built` below ends the start.
		armed = started.capture
			? capturing(started.capture)
			: built.then(nets => capturing(startCapture(onFrame, {ifindex: nets!.ifindex.server, ignoreOutgoing: false})), () => undefined);
		// Its failure has said why (fatal) and is awaited below; until then it must not count as unhandled.
		armed.catch(() => undefined);
		await loUp;
		live();
		const sysctls = applySysctls();
		const serverOptions = {params: config, keepalive: config.keepalive.server, ...(config.userTimeout === undefined ? {} : {userTimeout: config.userTimeout})};
		topology = await built;
		live();
		if (topology) clientDiag = sockDiagIn(peer.child.pid!);
		server = startServer(config.port, serverOptions, message => onPeer('server', message), topology ? natAddresses.server : undefined);
		await tool;
		capture = (await armed)!;
		live();
		if (config.pcap) {
			try {
				pcapFd = openSync(config.pcap, 'w');
				writeSync(pcapFd, pcapGlobalHeader());
			} catch (error) {
				fatal(`could not write the capture file ${config.pcap}: ${(error as Error).message}`, 'Give --pcap a file in a directory you can write to.');
			}
		}

		await Promise.all([server.listening, peer.listening]).catch((error: Error) => {
			live();
			fatal(error.message, 'see the message above');
		});
		live();
		t0 = nowMs();
		const firewallState = firewall ? {firewall} : {firewall: 'none' as const, firewallProblem: noFirewall!};
		emitAt(t0, {type: 'lab', event: 'ready', sandbox: config.sandbox, port: config.port, ...firewallState, ...(topology ? {nat: topology.info} : {})});
		emitAt(t0, {type: 'sysctl', ...sysctls});
		// After ready, so that its first readings (no entry yet, a count of 0) come at t ≥ 0; before the connect, so that it sees the handshake.
		if (topology) {
			// After a segment at the router only news: the server's capture reports both sides in full.
			const {watchRouter} = await import('./nat/router-watch.js');
			router = await watchRouter(topology, firewall!, config.port, () => clientPort, emitAt, () => void emitKernel(false)).catch((error: Error) =>
				fatal(`could not watch the router (its capture or its conntrack table): ${error.message}`, 'Run the lab as root: sudo npx ka-tutorial lab --scenario nat.'),
			);
			live();
		}

		peer.command({cmd: 'connect'});
		poller = setInterval(() => void emitKernel(false), kernelPollMs);
	}

	async function onCommand(command: AgentCommand): Promise<void> {
		if (shuttingDown) return;
		switch (command.cmd) {
			case 'drop': {
				try {
					await setDrop(command.on);
				} catch (error) {
					emitAt(nowMs(), {type: 'lab', event: 'error', message: `firewall: ${(error as Error).message}`});
				}

				break;
			}

			case 'read': {
				try {
					// A socket seen before and missing now is reported gone: a reader must never fall back to an old reading.
					emit({type: 'reply', id: command.id, readings: watch.complete(kernelReadings())});
				} catch (error) {
					emit({type: 'reply', id: command.id, readings: [], error: (error as Error).message});
				}

				break;
			}

			case 'send': {
				try {
					if (command.side === 'server') server?.send(command.text);
					else client?.command({cmd: 'send', text: command.text});
				} catch (error) {
					emitAt(nowMs(), {type: 'lab', event: 'error', message: `send: ${(error as Error).message}`});
				}

				break;
			}

			case 'freeze': {
				if (client) await setFrozen(client, command.on);
				break;
			}

			case 'stop': {
				shutdown(0);
				break;
			}
		}
	}

	client = started.client;
	started.messages(message => onPeer('client', message));
	started.frames(onFrame);
	starting = start().catch((error: Error) => {
		if (!shuttingDown) fatal(error.message, 'see the message above');
	});
	return command => void onCommand(command);

}
