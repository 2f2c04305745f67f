/** The NAT scenario's pure parts: ctnetlink decoding, which side of the router a frame was on, the router's counters, the kernel's prediction. */
import {describe, expect, it} from 'vitest';
import {conntrackDumpRequest, parseConntrackDump} from '../../source/lab/agent/nat/conntrack-codec.js';
import {conntrackReading, entryOf, routerSide} from '../../source/lab/agent/nat/router-watch.js';
import {invalidRuleLine, parseInvalidCounter, routerCommands} from '../../source/lab/agent/nat/router-firewall.js';
import {expectedOutcome} from '../../source/lab/host/runs/nat-run.js';

/** One netlink attribute (host order header, payload padded to 4). */
function attr(type: number, payload: Buffer, nested = false): Buffer {
	const header = Buffer.alloc(4);
	header.writeUInt16LE(4 + payload.length, 0);
	header.writeUInt16LE(type | (nested ? 0x8000 : 0), 2);
	return Buffer.concat([header, payload, Buffer.alloc((4 - (payload.length % 4)) % 4)]);
}

const be16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const be32 = (n: number) => {
	const b = Buffer.alloc(4);
	b.writeUInt32BE(n);
	return b;
};
const ip = (text: string) => Buffer.from(text.split('.').map(Number));

function tuple(type: number, src: string, dst: string, sport: number, dport: number): Buffer {
	const ips = attr(1, Buffer.concat([attr(1, ip(src)), attr(2, ip(dst))]), true);
	const proto = attr(2, Buffer.concat([attr(1, Buffer.from([6])), attr(2, be16(sport)), attr(3, be16(dport))]), true);
	return attr(type, Buffer.concat([ips, proto]), true);
}

/** A message as the kernel's ctnetlink_fill_info lays it out (IPCTNL_MSG_CT_NEW in the CTNETLINK subsystem). */
function message(body: Buffer, type = 0x100): Buffer {
	const header = Buffer.alloc(20);
	header.writeUInt32LE(20 + body.length, 0);
	header.writeUInt16LE(type, 4);
	header.writeUInt8(2, 16); // nfgen_family AF_INET
	return Buffer.concat([header, body]);
}

const done = () => {
	const b = Buffer.alloc(20);
	b.writeUInt32LE(20, 0);
	b.writeUInt16LE(3, 4);
	return b;
};

const entryBytes = (timeout: number, state = 3) =>
	message(
		Buffer.concat([
			tuple(1, '10.0.1.2', '10.0.2.2', 40_000, 6699),
			tuple(2, '10.0.2.2', '10.0.2.1', 6699, 40_001),
			attr(3, be32(0x18e)),
			attr(4, attr(1, attr(1, Buffer.from([state])), true), true),
			attr(7, be32(timeout)),
		]),
	);

describe('ctnetlink', () => {
	it('asks for a dump of the IPv4 table', () => {
		const request = conntrackDumpRequest(7);
		expect(request.length).toBe(20);
		expect(request.readUInt32LE(0)).toBe(20);
		expect(request.readUInt16LE(4)).toBe(0x101); // NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET
		expect(request.readUInt16LE(6)).toBe(0x301); // NLM_F_REQUEST | NLM_F_DUMP
		expect(request.readUInt32LE(8)).toBe(7);
		expect(request.readUInt8(16)).toBe(2);
	});

	it('decodes both tuples, the TCP state and the seconds left, and sees the end of the dump', () => {
		const dump = parseConntrackDump(Buffer.concat([entryBytes(5), done()]));
		expect(dump).toEqual({
			done: true,
			entries: [
				{
					original: {src: '10.0.1.2', dst: '10.0.2.2', protocol: 6, srcPort: 40_000, dstPort: 6699},
					reply: {src: '10.0.2.2', dst: '10.0.2.1', protocol: 6, srcPort: 6699, dstPort: 40_001},
					state: 'ESTABLISHED',
					timeout: 5,
				},
			],
		});
	});

	it('reports a failed dump with its errno, and a datagram without NLMSG_DONE as unfinished', () => {
		const error = Buffer.alloc(36);
		error.writeUInt32LE(36, 0);
		error.writeUInt16LE(2, 4);
		error.writeInt32LE(-1, 16);
		expect(parseConntrackDump(error)).toEqual({entries: [], done: true, errno: 1});
		expect(parseConntrackDump(entryBytes(3, 7)).done).toBe(false);
		expect(parseConntrackDump(entryBytes(3, 7)).entries[0]!.state).toBe('TIME_WAIT');
	});

	it("finds the lab's connection by the client's address and port, and reports the port the NAT gave it", () => {
		const [entry] = parseConntrackDump(entryBytes(5)).entries;
		expect(entryOf([entry!], 6699, 40_000)).toBe(entry);
		expect(entryOf([entry!], 6699, 0)).toBe(entry);
		expect(entryOf([entry!], 6699, 40_002)).toBeUndefined();
		expect(conntrackReading(entry)).toEqual({present: true, state: 'ESTABLISHED', timeout: 5, natPort: 40_001});
		expect(conntrackReading(undefined)).toEqual({present: false});
	});
});

describe('the router', () => {
	it('tags a frame by the interface it was seen on and the way it went', () => {
		expect(routerSide('client-side', 'client')).toBe('router-in');
		expect(routerSide('server-side', 'client')).toBe('router-out');
		expect(routerSide('server-side', 'server')).toBe('router-in');
		expect(routerSide('client-side', 'server')).toBe('router-out');
	});

	it('masquerades out of the server side and drops INVALID, with iptables or nft', () => {
		expect(routerCommands('iptables', 'r-s').map(c => c.line)).toEqual([
			'iptables -t nat -A POSTROUTING -o r-s -j MASQUERADE',
			'iptables -A FORWARD -m conntrack --ctstate INVALID -j DROP',
		]);
		expect(invalidRuleLine('nft')).toBe('nft add rule ip ka-nat forward ct state invalid counter drop');
		expect(routerCommands('nft', 'r-s').map(c => c.line)).toContain('nft add rule ip ka-nat postrouting oifname r-s masquerade');
	});

	it("reads the INVALID rule's own counter", () => {
		const iptables = [
			'Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)',
			'    pkts      bytes target     prot opt in     out     source               destination',
			'       7      364 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate INVALID',
		].join('\n');
		expect(parseInvalidCounter('iptables', iptables)).toBe(7);
		const nft = ['table ip ka-nat {', '\tchain forward {', '\t\ttype filter hook forward priority filter; policy accept;', '\t\tct state invalid counter packets 3 bytes 156 drop', '\t}', '}'].join('\n');
		expect(parseInvalidCounter('nft', nft)).toBe(3);
		expect(parseInvalidCounter('iptables', 'Chain FORWARD (policy ACCEPT)')).toBeUndefined();
	});

	it("predicts delivery only when keepalive crosses the router inside its timeout, the timer's slack included", () => {
		expect(expectedOutcome({idle: 5, intvl: 2, probes: 3}, true, 6)).toBe('delivered');
		expect(expectedOutcome({idle: 5, intvl: 2, probes: 3}, false, 6)).toBe('lost');
		expect(expectedOutcome({idle: 6, intvl: 2, probes: 3}, true, 6)).toBe('lost');
		// Answered probes go every max(idle, intvl).
		expect(expectedOutcome({idle: 1, intvl: 7, probes: 3}, true, 6)).toBe('lost');
	});
});
