import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {onJsonLines} from '../../source/lab/shared/json-lines.js';

describe('onJsonLines', () => {
	it('hands on each JSON line in order, split across chunks, and passes over lines that are not JSON', async () => {
		const input = new PassThrough();
		const messages: unknown[] = [];
		onJsonLines(input, message => messages.push(message));
		input.write('{"ev":"listen');
		input.write('ing"}\nnot json\n');
		input.end('{"ev":"connected","port":6699}\n');
		await new Promise(resolve => input.on('end', resolve));
		await new Promise(resolve => setImmediate(resolve));
		expect(messages).toEqual([{ev: 'listening'}, {ev: 'connected', port: 6699}]);
	});
});
