import {readFileSync} from 'node:fs';
import {expect, it} from 'vitest';
import type {LabEvent} from '../../source/lab/shared/events.js';
import {waitUntil} from '../helpers/cli.js';
import {where} from '../helpers/privilege.js';

// The built engine: its agent and peers run from dist/, as they do for a learner.
const {createLab} = (await import(new URL('../../dist/lab/host/lab.js', import.meta.url).href)) as typeof import('../../source/lab/host/lab.js');

const hostSysctls = () =>
	['tcp_keepalive_time', 'tcp_keepalive_intvl', 'tcp_keepalive_probes'].map(name => readFileSync(`/proc/sys/net/ipv4/${name}`, 'utf8').trim());

where('sandbox', 'firewall').describe('the lab namespace\'s own keepalive sysctls', () => {
	it('are set and read back inside the lab, and the host keeps its own', async () => {
		const before = hostSysctls();
		const lab = createLab({idle: 55, intvl: 6, probes: 2, sysctls: {idle: 600, intvl: 30, probes: 5}});
		const events: LabEvent[] = [];
		lab.subscribe(event => events.push(event));
		try {
			await lab.start();
			await waitUntil(() => events.some(e => e.type === 'sysctl'), 5000, 'the sysctl event');
			expect(events.find(e => e.type === 'sysctl')).toMatchObject({tcp_keepalive_time: 600, tcp_keepalive_intvl: 30, tcp_keepalive_probes: 5});
		} finally {
			await lab.stop();
		}

		expect(events.at(-1)).toMatchObject({type: 'lab', event: 'stopped'});
		// Read once the run is over: as root the run is in this process, whose thread is in the
		// lab's namespace while it runs. The lab never writes a value back, so one written to
		// the host would still be there.
		expect(hostSysctls()).toEqual(before);
	});
});
