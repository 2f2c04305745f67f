import {describe, expect, it} from 'vitest';
import {foldRunEvents} from '../../source/lab/model/run-state.js';
import type {LabEvent} from '../../source/lab/shared/events.js';
import {jiffy, timerSlack} from '../../source/lab/model/timeline.js';
import {countdowns} from '../../source/ui/lab/countdown-model.js';
import {columnsOf} from '../../source/ui/lab/format.js';
import {statusLines} from '../../source/ui/lab/status-lines.js';
import {en, messagesFor} from '../../source/ui/messages/messages.js';
import {loadEvents} from '../helpers/events.js';

/** The status rows as text, for a run cut right after the first event that `until` matches. */
function rowsAt(events: readonly LabEvent[], until: (event: LabEvent) => boolean, width = 39, m = en): string[] {
	const end = events.findIndex(until);
	const view = foldRunEvents(events.slice(0, end === -1 ? undefined : end + 1));
	const rows = statusLines(view, width, m).map(line => line.map(segment => segment.text).join(''));
	for (const row of rows) expect(columnsOf(row), row).toBeLessThanOrEqual(width);
	return rows;
}

const firstRun = (events: readonly LabEvent[]) => {
	const second = events.findIndex((event, index) => index > 0 && event.type === 'lab' && event.event === 'ready');
	return second === -1 ? events : events.slice(0, second);
};

describe('the status rows of the scenarios (recorded lesson runs)', () => {
	const nat = firstRun(loadEvents('lesson-nat'));

	it('nat: keepalive off, the router\'s entry counting down, then forgotten, the line dying there', () => {
		const early = rowsAt(nat, event => event.type === 'conntrack' && event.present);
		expect(early).toContain('server keepalive off');
		expect(early.join('\n')).toMatch(/router: ESTABLISHED, \d\.\d s left/);
		const forgot = rowsAt(nat, event => event.type === 'conntrack' && !event.present && event.t > 1);
		expect(forgot.join('\n')).toMatch(/router entry gone at 6\.\d{3} s/);
		const lost = rowsAt(nat, () => false, 60).join('\n');
		expect(lost).toMatch(/INVALID dropped [1-9]\d*/);
		expect(lost).toMatch(/client data into router [1-9]\d*, out 0/);
		expect(lost).toMatch(/client wrote "still there\?" \d+\.\d{3} s/);
	});

	it('nat in Chinese, at 39 columns', () => {
		const rows = rowsAt(nat, () => false, 39, messagesFor('zh')).join('\n');
		expect(rows).toContain('服务器 keepalive 关闭');
		expect(rows).toMatch(/INVALID 丢弃 \d+/);
	});

	it('frozen: stopped, what its kernel answered meanwhile, running again, the lines each side wrote and read', () => {
		const events = loadEvents('lesson-frozen');
		const stopped = rowsAt(events, event => event.type === 'peer' && event.event === 'frozen').join('\n');
		expect(stopped).toMatch(/client stopped \(SIGSTOP\) \d+\.\d{3} s/);
		const after = rowsAt(events, () => false, 60).join('\n');
		expect(after).toMatch(/client running again \d+\.\d{3} s/);
		expect(after).toMatch(/its kernel answered [1-9]\d* probes?/);
		expect(after).toMatch(/server wrote "GET \/status" /);
		expect(after).toMatch(/client read "GET \/status" /);
	});

	it('the article\'s run shows none of them', () => {
		const rows = rowsAt(loadEvents('fast-drop'), () => false, 60).join('\n');
		expect(rows).not.toMatch(/router|SIGSTOP|retransmits|wrote|keepalive off/);
	});
});

describe('the countdowns under TCP_USER_TIMEOUT (recorded lesson 10, its second run)', () => {
	it('expect the RST at the first firing past the user timeout, not after every probe of the count', () => {
		const events = loadEvents('lesson-user-timeout');
		const second = events.findIndex((event, index) => index > 0 && event.type === 'lab' && event.event === 'ready');
		const run = events.slice(second);
		const rst = run.find(event => event.type === 'packet' && event.kind === 'rst')!;
		const at = run.findIndex(event => event.type === 'kernel' && event.side === 'server' && event.probesOut === 1);
		const view = foldRunEvents(run.slice(0, at + 1));
		const {probes} = countdowns(view, {idle: 2, intvl: 2, probes: 9});
		// Probes 2 s apart, the reset 7 s after the last answer: a timer's slack either way.
		expect(Math.abs(run[at]!.t + probes.expectedRstIn! - rst.t)).toBeLessThan(timerSlack(2) + jiffy);
	});
});
