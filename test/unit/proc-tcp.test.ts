import {describe, expect, it} from 'vitest';
import {parseProcNetTcp, parseProcNetTcpRows, tcpStateName, timerKindOf} from '../../source/lab/agent/proc-tcp.js';

/**
 * Real /proc/self/net/tcp text, read inside private network namespaces on Linux 6.18
 * (kept byte for byte, including the kernel's padding). Beside each, what `ss -tnoa`
 * said at the same moment.
 */
const samples = {
	// Server 127.0.0.1:40000 (idle 2 s, intvl 1 s), client port 55730 without keepalive; a
	// TIME_WAIT of an unrelated connection to :40001.
	// ss: 40000 <-> 55730 timer:(keepalive,1.684ms,0); TIME-WAIT timer:(timewait,59sec,0)
	// ss at `probing` (client's packets dropped): timer:(keepalive,212ms,2)
	armed: `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   0: 0100007F:9C40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 38156 1 000000004354155b 100 0 0 10 0                     
   1: 0100007F:9C41 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 38159 1 000000003165f3d8 100 0 0 10 0                     
   2: 0100007F:9C40 0100007F:D9B2 01 00000000:00000000 02:000000A9 00000000     0        0 38158 2 00000000ac178b42 20 0 0 10 -1                     
   3: 0100007F:D9B2 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 38157 2 000000003c785611 20 0 0 10 -1                     
   4: 0100007F:8C72 0100007F:9C41 06 00000000:00000000 03:00001752 00000000     0        0 0 3 00000000868dbdf0                                      
`,
	probing: `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   0: 0100007F:9C40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 38156 1 000000004354155b 100 0 0 10 0                     
   1: 0100007F:9C41 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 38159 1 000000003165f3d8 100 0 0 10 0                     
   2: 0100007F:9C40 0100007F:D9B2 01 00000000:00000000 02:00000016 00000000     0        2 38158 2 00000000ac178b42 20 0 0 10 -1                     
   3: 0100007F:D9B2 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 38157 1 000000003c785611 20 0 0 10 -1                     
   4: 0100007F:8C72 0100007F:9C41 06 00000000:00000000 03:000015F1 00000000     0        0 0 3 00000000868dbdf0                                      
`,
	// Server :40526 with idle 20 s, client port 39084 with its own keepalive (idle 30 s): the
	// server's 20 s timer was due but had not yet fired (the timer wheel fires long timers late).
	// ss: timer:(keepalive,,0) for the server, timer:(keepalive,10sec,0) for the client.
	pastDue: `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   0: 0100007F:9E4E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 37575 1 00000000067ca647 100 0 0 10 0                     
   1: 0100007F:98AC 0100007F:9E4E 01 00000000:00000000 02:000003E8 00000000     0        0 37576 2 000000007fbf40df 20 0 0 10 -1                     
   2: 0100007F:9E4E 0100007F:98AC 01 00000000:00000000 02:00000000 00000000     0        0 37577 2 00000000a929fc73 20 0 0 10 -1                     
`,
	// Server :40526 wrote 5 bytes while the client's (port 60446) ACKs were dropped.
	// ss: timer:(on,148ms,2)
	retransmit: `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   0: 0100007F:9E4E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40729 1 00000000dbdecb87 100 0 0 10 0                     
   1: 0100007F:EC1E 0100007F:9E4E 01 00000000:00000000 00:00000000 00000000     0        0 40730 1 00000000252721c0 20 4 30 10 -1                    
   2: 0100007F:9E4E 0100007F:EC1E 01 00000005:00000000 01:0000000F 00000002     0        0 40731 2 000000000e21e1d4 81 0 0 1 -1                      
`,
	// Same namespace later: client port 37704 closed first to :40600 (TIME_WAIT); client 58436
	// half-closed to :40701 (FIN_WAIT2 / CLOSE_WAIT); the retransmitting pair is still there.
	closing: `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   0: 0100007F:9E98 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40751 1 00000000b8e1c1ec 100 0 0 10 0                     
   1: 0100007F:9EFD 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40755 1 000000004121ba8b 100 0 0 10 0                     
   2: 0100007F:9EFC 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40754 1 0000000054e75f7b 100 0 0 10 0                     
   3: 0100007F:9E4E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40729 1 00000000dbdecb87 100 0 0 10 0                     
   4: 0100007F:9348 0100007F:9E98 06 00000000:00000000 03:0000172E 00000000     0        0 0 3 00000000cea832c1                                      
   5: 0100007F:EC1E 0100007F:9E4E 01 00000000:00000000 00:00000000 00000000     0        0 40730 1 00000000252721c0 20 4 30 10 -1                    
   6: 0100007F:9EFD 0100007F:E444 08 00000000:00000000 00:00000000 00000000     0        0 40757 1 00000000067ca647 20 4 0 10 -1                     
   7: 0100007F:9E4E 0100007F:EC1E 01 00000005:00000000 01:0000006C 00000003     0        0 40731 2 000000000e21e1d4 163 0 0 1 -1                     
   8: 0100007F:E444 0100007F:9EFD 05 00000000:00000000 00:00000000 00000000     0        0 40756 1 000000001dda067c 20 0 0 11 -1                     
`,
};

describe('parseProcNetTcpRows', () => {
	it('reads every column the lab uses from a real line', () => {
		const rows = parseProcNetTcpRows(samples.probing);
		expect(rows).toHaveLength(5);
		expect(rows[2]).toEqual({
			localAddress: '0100007F',
			localPort: 40000,
			remoteAddress: '0100007F',
			remotePort: 55730,
			stateCode: 1,
			state: 'ESTABLISHED',
			timerCode: 2,
			timer: 'keepalive',
			ticks: 0x16,
			retransmits: 0,
			probesOut: 2,
			inode: 38158,
		});
	});

	it('reads the shorter TIME_WAIT lines', () => {
		const tw = parseProcNetTcpRows(samples.armed).find((row) => row.state === 'TIME_WAIT');
		expect(tw).toMatchObject({localPort: 35954, remotePort: 40001, timer: 'timewait', ticks: 0x1752, inode: 0});
	});

	it('ignores the header, blank lines and garbage', () => {
		expect(parseProcNetTcpRows('')).toEqual([]);
		expect(parseProcNetTcpRows('  sl  local_address rem_address   st\n\nnot a line\n')).toEqual([]);
	});

	it('reads tcp6 lines (32-digit addresses) too', () => {
		const line =
			'   3: 0000000000000000FFFF00000100007F:9E4E 0000000000000000FFFF00000100007F:98AC 01 00000000:00000000 02:000001F4 00000000  1000        1 41234 1 0000000000000000 20 4 30 10 -1\n';
		expect(parseProcNetTcp(line, 40526)).toEqual([
			{side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 5, probesOut: 1, retransmits: 0},
		]);
	});
});

describe('parseProcNetTcp', () => {
	it('finds both sides and skips the LISTEN socket', () => {
		expect(parseProcNetTcp(samples.armed, 40000)).toEqual([
			{side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 1.69, probesOut: 0, retransmits: 0},
			{side: 'client', state: 'ESTABLISHED', timer: 'none', dueIn: 0, probesOut: 0, retransmits: 0},
		]);
	});

	it('reports unanswered probes from the timeout column', () => {
		expect(parseProcNetTcp(samples.probing, 40000)).toEqual([
			{side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 0.22, probesOut: 2, retransmits: 0},
			{side: 'client', state: 'ESTABLISHED', timer: 'none', dueIn: 0, probesOut: 0, retransmits: 0},
		]);
	});

	it('shows a past-due keepalive timer as due in 0', () => {
		expect(parseProcNetTcp(samples.pastDue, 40526)).toEqual([
			{side: 'client', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 10, probesOut: 0, retransmits: 0},
			{side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 0, probesOut: 0, retransmits: 0},
		]);
	});

	it('shows the retransmit timer while data is unacknowledged', () => {
		expect(parseProcNetTcp(samples.retransmit, 40526)).toEqual([
			{side: 'client', state: 'ESTABLISHED', timer: 'none', dueIn: 0, probesOut: 0, retransmits: 0},
			{side: 'server', state: 'ESTABLISHED', timer: 'retransmit', dueIn: 0.15, probesOut: 0, retransmits: 2},
		]);
		expect(parseProcNetTcpRows(samples.retransmit)[2]?.retransmits).toBe(2);
	});

	it('reads a TIME_WAIT socket of the lab', () => {
		expect(parseProcNetTcp(samples.closing, 40600)).toEqual([
			{side: 'client', state: 'TIME_WAIT', timer: 'timewait', dueIn: 59.34, probesOut: 0, retransmits: 0},
		]);
	});

	it('reads half-closed sockets', () => {
		expect(parseProcNetTcp(samples.closing, 40701)).toEqual([
			{side: 'server', state: 'CLOSE_WAIT', timer: 'none', dueIn: 0, probesOut: 0, retransmits: 0},
			{side: 'client', state: 'FIN_WAIT2', timer: 'none', dueIn: 0, probesOut: 0, retransmits: 0},
		]);
	});

	it('returns nothing once the lab has left the table', () => {
		expect(parseProcNetTcp(samples.closing, 41000)).toEqual([]);
		// Only the LISTEN socket is left on 40000 in this made-up table.
		const listenOnly = samples.armed.split('\n').slice(0, 2).join('\n');
		expect(parseProcNetTcp(listenOnly, 40000)).toEqual([]);
	});
});

describe('names', () => {
	it('names states and timers as the kernel does', () => {
		expect(tcpStateName(0x0a)).toBe('LISTEN');
		expect(tcpStateName(0x06)).toBe('TIME_WAIT');
		expect(tcpStateName(0x7f)).toBe('UNKNOWN_0x7F');
		expect([0, 1, 2, 3, 4, 9].map(timerKindOf)).toEqual(['none', 'retransmit', 'keepalive', 'timewait', 'probe', 'none']);
	});
});
