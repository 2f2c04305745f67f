import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {LabEvent} from '../../source/lab/shared/events.js';
import {
	factsFromEvents,
	factsOf,
	factVocabulary,
	isAppFact,
	isKnownFact,
} from '../../source/lessons/facts.js';
import {defaultLessonsDir} from '../../source/lessons/course.js';
import {foldRun, initialRun} from '../../source/lab/model/run-state.js';
import {command, packet, run, serverIsn} from './sample-run.js';

describe('factsFromEvents', () => {
	it('knows nothing before the lab says anything', () => {
		expect(factsFromEvents([])).toEqual({});
	});

	it('reads the lab, the ports and the read-back socket options', () => {
		const facts = factsFromEvents(run.slice(0, 7));
		expect(facts).toMatchObject({
			'lab.port': '6699',
			'lab.sandbox': 'userns',
			'lab.firewall': 'iptables',
			'client.port': '40526',
			'sockopt.idle': '2',
			'sockopt.intvl': '1',
			'sockopt.probes': '3',
			'sockopt.nodeDefaults.intvl': '1',
			'sockopt.nodeDefaults.probes': '10',
			'params.idle': '2',
			'params.intvl': '1',
			'params.probes': '3',
			'params.deadAfter': '5',
			'kernel.server.timer': 'keepalive',
			'kernel.server.dueIn': '2.00',
			'kernel.server.probesLeft': '3',
			'probes.sent': '0',
			'drop.state': 'off',
			'lab.t': '0.004',
		});
		expect(facts['probe.t']).toBeUndefined();
	});

	it('takes the client\'s last ACK before the first probe, the probe (N − 1) and its answer', () => {
		const facts = factsFromEvents(run.slice(0, 9));
		expect(facts).toMatchObject({
			'lastAck.t': '0.002',
			'lastAck.relSeq': '1',
			'lastAck.relAck': '1',
			'lastAck.flags': 'ACK',
			'probe.t': '2.006',
			'probe.flags': 'ACK',
			'probe.len': '0',
			'probe.relSeq': '0',
			'probe.relAck': '1',
			'probe.seq': String(serverIsn),
			'probe.expectedRelSeq': '0',
			'probeAck.t': '2.006',
			'probeAck.relSeq': '1',
			'probeAck.relAck': '1',
			'probes.sent': '1',
			'probes.answered': '1',
			'probes.lastAt': '2.006',
		});
		expect(facts['probes.lastGap']).toBeUndefined();
	});

	it('keeps lastAck, probe and probeAck at the first probe once more come', () => {
		const facts = factsFromEvents(run);
		expect(facts['probe.t']).toBe('2.006');
		expect(facts['probeAck.t']).toBe('2.006');
		expect(facts['lastAck.t']).toBe('0.002');
	});

	it('follows the drop: the command, the counter, the unanswered probes and the model\'s prediction', () => {
		const facts = factsFromEvents(run.slice(0, 17));
		expect(facts).toMatchObject({
			'drop.state': 'on',
			'drop.command': command,
			'drop.t': '2.500',
			'drop.dropped': '1',
			'drop.lastAckAt': '2.006',
			'drop.probes': '2',
			'drop.probeTimes': '4.012, 5.020',
			'drop.expectedProbes': '4.006, 5.006, 6.006',
			'rst.expected': '7.006',
			'probes.sent': '3',
			'probes.answered': '1',
			'kernel.server.probesOut': '2',
			'kernel.server.probesLeft': '1',
			'kernel.server.dueIn': '0.99',
		});
		expect(facts['rst.t']).toBeUndefined();
		expect(facts['rst.late']).toBeUndefined();
		// The gap between probes is measured only while they were answered (idle apart).
		expect(facts['probes.lastGap']).toBeUndefined();
		expect(facts['probes.lastAt']).toBe('5.020');
	});

	it('reports the RST beside the prediction, and both sockets\' errors', () => {
		const facts = factsFromEvents(run);
		expect(facts).toMatchObject({
			'rst.t': '7.036',
			'rst.from': 'server',
			'rst.relSeq': '1',
			'rst.expected': '7.006',
			'rst.late': '+0.030',
			'server.error': 'ETIMEDOUT',
			'server.errorAt': '7.037',
			'client.error': 'ECONNRESET',
			'client.errorAt': '7.037',
			'drop.dropped': '3',
			'drop.probes': '3',
		});
	});

	it('keeps the last probe count once the socket has left the kernel\'s table', () => {
		const facts = factsFromEvents(run);
		expect(facts['kernel.server.state']).toBe('gone');
		expect(facts['kernel.server.probesOut']).toBe('3');
		expect(facts['kernel.server.probesLeft']).toBe('0');
	});

	it('starts a new drop period after the drop was switched off', () => {
		const events: LabEvent[] = [
			...run.slice(0, 10),
			{t: 3, type: 'firewall', action: 'allow', command: 'iptables -D INPUT -p tcp --sport 40526 -j DROP', dropped: 0},
			packet(5, 'server', 'keepalive', 0, 1),
			packet(5, 'client', 'keepalive-ack', 1, 1),
			{t: 6, type: 'firewall', action: 'drop', command, dropped: 0},
		];
		const facts = factsFromEvents(events);
		expect(facts).toMatchObject({
			'drop.state': 'on',
			'drop.t': '6.000',
			'drop.lastAckAt': '5.000',
			'probes.answered': '2',
			'probes.lastGap': '2.994',
			'drop.probes': '0',
		});
	});

	it('falls back to the summary\'s parameters when no sockopt event came', () => {
		const summary: LabEvent = {
			t: 9,
			type: 'summary',
			params: {idle: 55, intvl: 6, probes: 2},
			probesSent: 0,
			probesAnswered: 0,
			dropped: 0,
			rstAt: null,
			expectedRstAt: null,
			serverError: null,
			clientError: null,
			ok: false,
		};
		expect(factsFromEvents([summary])).toMatchObject({'params.idle': '55', 'params.deadAfter': '67'});
	});

	it('only ever produces names of the documented vocabulary', () => {
		for (let end = 0; end <= run.length; end++) {
			for (const name of Object.keys(factsFromEvents(run.slice(0, end)))) expect(isKnownFact(name), name).toBe(true);
		}
	});

	it('is a projection of the run state, folded one event at a time', () => {
		let state = initialRun;
		for (const event of run) state = foldRun(state, event);
		expect(factsOf(state)).toEqual(factsFromEvents(run));
		expect(initialRun.counters.probesSent).toBe(0);
	});

	it('names the last segment the server heard, whatever it was', () => {
		// After the handshake it is the ACK that closed it; after an answered probe, the Keep-Alive ACK.
		expect(factsFromEvents(run.slice(0, 7))).toMatchObject({'heard.kind': 'ACK', 'heard.relSeq': '1', 'heard.relAck': '1'});
		expect(factsFromEvents(run.slice(0, 9))).toMatchObject({'heard.kind': 'Keep-Alive ACK', 'heard.t': '2.006'});
		// While the drop is on, the client's answers do not reach the server: still the one before.
		expect(factsFromEvents(run)).toMatchObject({'heard.kind': 'Keep-Alive ACK', 'heard.t': '2.006'});
	});
});

describe('vocabulary', () => {
	it('lists each name once, host sysctls included', () => {
		expect(new Set(factVocabulary).size).toBe(factVocabulary.length);
		expect(isKnownFact('host.tcp_keepalive_time')).toBe(true);
		expect(isKnownFact('probe.relseq')).toBe(false);
	});

	it('tells the app\'s facts, known without a lab, from the lab\'s', () => {
		expect(isAppFact('host.node')).toBe(true);
		expect(isAppFact('lab.preset')).toBe(true);
		expect(isAppFact('lab.tcp_keepalive_time')).toBe(false);
		expect(isAppFact('probe.t')).toBe(false);
	});

	it('documents every name in lessons/FORMAT.md, alone or as its group', () => {
		const documented = readFileSync(path.join(defaultLessonsDir(), 'FORMAT.md'), 'utf8');
		for (const name of factVocabulary) {
			// FORMAT.md names each fact, or its group (`probe.*`, `kernel.server.*`).
			const group = `${name.split('.').slice(0, -1).join('.')}.*`;
			expect(documented.includes(`\`${name}\``) || documented.includes(`\`${group}\``), name).toBe(true);
		}
	});
});
