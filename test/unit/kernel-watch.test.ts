import {describe, expect, it} from 'vitest';
import type {KernelReading} from '../../source/lab/shared/events.js';
import {KernelWatch} from '../../source/lab/shared/kernel-watch.js';

const reading = (side: 'server' | 'client', probesOut: number, dueIn = 1): KernelReading => ({side, state: 'ESTABLISHED', timer: 'keepalive', dueIn, probesOut});

describe('kernel watch', () => {
	it('calls a reading news only when timer, probes or state change, not the countdown', () => {
		const watch = new KernelWatch();
		expect(watch.changed([reading('server', 0, 2)])).toHaveLength(1);
		expect(watch.changed([reading('server', 0, 1.5)])).toEqual([]);
		expect(watch.changed([reading('server', 1, 1)])).toEqual([reading('server', 1, 1)]);
	});

	it('reports a socket that left the table as gone, once', () => {
		const watch = new KernelWatch();
		watch.changed([reading('server', 0), reading('client', 0)]);
		expect(watch.changed([reading('client', 0)])).toEqual([{side: 'server', state: 'gone', timer: 'none', dueIn: 0, probesOut: 0}]);
		expect(watch.changed([reading('client', 0)])).toEqual([]);
	});
});
