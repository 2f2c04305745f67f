import {describe, expect, it} from 'vitest';
import {formatDropCount, formatEvent} from '../../source/headless/format.js';

describe('readable timeline', () => {
	it('prints packets the way Wireshark names them', () => {
		expect(
			formatEvent({t: 2.0064, type: 'packet', from: 'server', flags: ['ACK'], seq: 99, ack: 7, relSeq: 0, relAck: 1, len: 0, kind: 'keepalive'}),
		).toBe('    2.006  server → client  Keep-Alive      seq=0 ack=1 len=0  [ACK]');
	});

	it('prints the drop with the command that ran and the rule\'s count', () => {
		expect(formatEvent({t: 2.1, type: 'firewall', action: 'drop', command: 'nft add rule inet ka input tcp sport 40000 counter drop', dropped: 2})).toBe(
			'    2.100  firewall drop: nft add rule inet ka input tcp sport 40000 counter drop  (rule dropped 2 packet(s))',
		);
	});

	it('prints a counter update as the rule\'s running count', () => {
		expect(formatDropCount({t: 4.074, type: 'firewall', action: 'drop', command: 'x', dropped: 1})).toBe('    4.074  firewall the rule has dropped 1 client packet(s)');
	});

	it('prints kernel readings and socket errors', () => {
		expect(formatEvent({t: 1, type: 'kernel', side: 'server', state: 'ESTABLISHED', timer: 'keepalive', dueIn: 0.98, probesOut: 2})).toBe(
			'    1.000  kernel   server: ESTABLISHED, keepalive timer due in 0.98 s, 2 unanswered probe(s)',
		);
		expect(formatEvent({t: 7, type: 'socket', side: 'client', event: 'error', code: 'ECONNRESET'})).toBe('    7.000  socket   client error ECONNRESET');
	});

	it('ends with a summary that puts the model beside the real RST', () => {
		const text = formatEvent({
			t: 7.1,
			type: 'summary',
			params: {idle: 2, intvl: 1, probes: 3},
			probesSent: 4,
			probesAnswered: 1,
			dropped: 3,
			rstAt: 7.062,
			expectedRstAt: 7.01,
			serverError: 'ETIMEDOUT',
			clientError: 'ECONNRESET',
			ok: true,
		});
		expect(text).toContain('RST at 7.062 s (the model expected 7.010 s, 52 ms late)');
		expect(text).toContain('OK: the kernel ended the connection as expected');
	});
});
