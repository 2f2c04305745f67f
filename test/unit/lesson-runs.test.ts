import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {LabEvent, PacketEvent, SegmentKind, Side} from '../../source/lab/shared/events.js';
import {conditionText, parseCondition} from '../../source/lessons/condition.js';
import {factsOf} from '../../source/lessons/facts.js';
import {foldRunEvents} from '../../source/lab/model/run-state.js';
import {readLesson} from '../../source/lessons/parse.js';
import {conditionProgress, type EngineAction, type EngineState, initialState, reduce} from '../../source/lessons/step-engine.js';
import type {Lesson} from '../../source/lessons/types.js';
import {createLabStore} from '../../source/ui/lab-store/lab-store.js';
import {fakeLabFactory} from '../helpers/fake-lab.js';

/*
 * Lessons that say how their lab runs (scenario, values, …), the prompts that write, freeze
 * and restart with keepalive on, and the conditions and facts of the scenarios.
 */

const lesson = (front: string, steps: string) => `---\nid: l\ntitle: L\nlab: true\n${front}---\n\n${steps}`;
const problemsOf = (source: string) => readLesson('l.md', source).problems.map(problem => `${problem.line}: ${problem.message}`);
const prompt = (fields: string) => `## Do it\n\n\`\`\`step\nkind: prompt\nkey: w\n${fields}\`\`\`\n\nPress w.\n`;

describe('a lesson says how its lab runs', () => {
	it('reads the scenario, its values, the user timeout, the server keepalive and the router timeout', () => {
		const {lesson: read} = readLesson('l.md', lesson('scenario: nat\nvalues:\n  idle: 3\n  intvl: 3\n  probes: 3\nserver-keepalive: false\nnat-timeout: 8\n', '## One\n\nText.\n'));
		expect(read?.run).toEqual({scenario: 'nat', values: {idle: 3, intvl: 3, probes: 3}, serverKeepalive: false, natTimeout: 8});
		expect(readLesson('l.md', lesson('', '## One\n\nText.\n')).lesson?.run).toBeUndefined();
	});

	it.each([
		['scenario: wifi\n', '5: unknown scenario "wifi"; the scenarios are drop, busy, frozen, nat'],
		['values:\n  idle: 3\n  intvl: 3\n', '5: `values` needs all of idle, intvl, probes: `probes` is missing'],
		['values:\n  idle: 0\n  intvl: 3\n  probes: 3\n', '5: `idle` in `values` must be a whole number from 1 to 32767; got 0'],
		['user-timeout: 5s\n', '5: `user-timeout` must be a whole number of milliseconds from 0 to 3600000; got "5s"'],
		['nat-timeout: 6\n', '5: `nat-timeout` is the router\'s: it needs `scenario: nat`'],
		['scenario: nat\nnat-timeout: 1\n', '6: `nat-timeout` must be a whole number of seconds from 2 to 3600; got 1'],
		['server-keepalive: yes please\n', '5: `server-keepalive` must be true or false; got "yes please"'],
	])('refuses `%s` at its line, naming the range or the fix', (front, message) => {
		expect(problemsOf(lesson(front, '## One\n\nText.\n'))).toEqual([message]);
	});

	it('refuses run fields in a lesson without the lab', () => {
		const source = '---\nid: l\ntitle: L\nscenario: nat\n---\n\n## One\n\nText.\n';
		expect(problemsOf(source)).toEqual(['4: `scenario` says how the lab runs: it needs `lab: true`']);
	});

	it('gives a send prompt its line, and refuses one without, or a line on another action', () => {
		const {lesson: read} = readLesson('l.md', lesson('', prompt('action: send-client\nline: still there?\n')));
		expect(read?.steps[0]).toMatchObject({kind: 'prompt', key: 'w', action: 'send-client', writes: 'still there?', line: 7});
		expect(problemsOf(lesson('', prompt('action: send-server\n')))).toEqual(['9: step 1 "Do it": a send-server prompt needs `line:` (the text the application writes)']);
		expect(problemsOf(lesson('', prompt('action: freeze\nline: hi\n')))).toEqual([
			'13: step 1 "Do it": `line` is what a `send-client` or `send-server` prompt writes; action freeze takes none',
		]);
		expect(problemsOf(lesson('', prompt(`action: send-client\nline: ${'x'.repeat(61)}\n`)))[0]).toContain('at most 60 characters');
	});
});

describe('the scenarios\' conditions', () => {
	it.each([
		'retransmits server 3',
		'app received server',
		'app sent client count 2',
		'app error server',
		'peer frozen',
		'peer resumed',
		'conntrack present',
		'conntrack gone',
		'invalid 3',
		'packet retransmission from client at router-in count 2',
		'packet keepalive from server at router-out',
	])('reads `%s` and writes it back the same', text => {
		expect(conditionText(parseCondition(text))).toBe(text);
	});

	it.each([
		['app read server', 'needs what the application did (sent, received, error)'],
		['peer asleep', '`peer` needs frozen or resumed'],
		['conntrack lost', '`conntrack` needs present or gone'],
		['invalid', 'the count in `invalid` must be a whole number ≥ 1'],
		['packet data at router', '`at` in `packet data at router` names where the router saw it: router-in or router-out'],
		['packet data after drop at router-in', "the router's copies are not counted by the drop"],
	])('refuses `%s`', (text, message) => {
		expect(() => parseCondition(text)).toThrow(message);
	});
});

// --- a run of each scenario, as events ------------------------------------------

const seg = (t: number, from: Side, kind: SegmentKind, more: Partial<PacketEvent> = {}): PacketEvent => ({
	t,
	type: 'packet',
	from,
	flags: ['ACK'],
	seq: 0,
	ack: 0,
	relSeq: 1,
	relAck: 1,
	len: 0,
	kind,
	...more,
});
const ready: LabEvent = {t: 0, type: 'lab', event: 'ready', sandbox: 'netns', port: 6699, firewall: 'iptables'};
const sockopt = (more: object = {}): LabEvent => ({
	t: 0.01,
	type: 'sockopt',
	side: 'server',
	idle: 3,
	intvl: 2,
	probes: 3,
	nodeDefaults: {intvl: 1, probes: 10, idleAfter500ms: 7200, idleAfter1500ms: 1},
	...more,
});
const nat = {client: '10.0.1.2', routerClientSide: '10.0.1.1', routerServerSide: '10.0.2.1', server: '10.0.2.2', timeout: 6, loose: 0, forward: 1, commands: []};

const natRun: LabEvent[] = [
	{...ready, nat},
	sockopt({keepalive: false}),
	{t: 0.05, type: 'conntrack', present: true, state: 'ESTABLISHED', timeout: 6, natPort: 40001},
	{t: 6.1, type: 'conntrack', present: false},
	{t: 12, type: 'app', side: 'client', event: 'sent', bytes: 13, text: 'still there?\n'},
	seg(12, 'client', 'data', {at: 'router-in', len: 13}),
	seg(12.2, 'client', 'retransmission', {at: 'router-in', len: 13}),
	seg(12.6, 'client', 'retransmission', {at: 'router-in', len: 13}),
	{t: 12.7, type: 'invalid', command: 'iptables -A FORWARD -m conntrack --ctstate INVALID -j DROP', dropped: 3},
];

const busyRun: LabEvent[] = [
	ready,
	{t: 0.01, type: 'sysctl', tcp_keepalive_time: 7200, tcp_keepalive_intvl: 75, tcp_keepalive_probes: 9, tcp_retries2: 15},
	sockopt({userTimeout: 3000}),
	seg(0.04, 'server', 'syn-ack', {flags: ['SYN', 'ACK'], relSeq: 0}),
	seg(1, 'server', 'data', {len: 15}),
	seg(1.3, 'server', 'retransmission', {len: 15}),
	{t: 1.31, type: 'kernel', side: 'server', state: 'ESTABLISHED', timer: 'retransmit', dueIn: 0.4, probesOut: 0, retransmits: 1, rto: 0.4, backoff: 1, unacked: 1},
	seg(1.7, 'server', 'retransmission', {len: 15}),
	seg(2.5, 'server', 'retransmission', {len: 15}),
	{t: 4.31, type: 'socket', side: 'server', event: 'error', code: 'ETIMEDOUT'},
];

const frozenRun: LabEvent[] = [
	ready,
	{t: 2, type: 'peer', side: 'client', event: 'frozen', pid: 4242},
	seg(3, 'server', 'keepalive', {relSeq: 0}),
	seg(3, 'client', 'keepalive-ack'),
	{t: 4, type: 'app', side: 'server', event: 'sent', bytes: 11, text: 'GET /status'},
	{t: 6, type: 'peer', side: 'client', event: 'resumed', pid: 4242},
	{t: 6.01, type: 'app', side: 'client', event: 'received', bytes: 11, text: 'GET /status'},
];

describe('the scenarios\' facts', () => {
	it('nat: the router\'s timeout and entry, when it forgot, the INVALID count, what entered and left it', () => {
		expect(factsOf(foldRunEvents(natRun))).toMatchObject({
			'router.timeout': '6',
			'router.loose': '0',
			'sockopt.keepalive': 'off',
			'conntrack.entry': 'gone',
			'conntrack.forgottenAt': '6.100',
			'invalid.dropped': '3',
			'router.in.clientData': '3',
			'router.out.clientData': '0',
			'client.wrote': 'still there?',
			'client.wroteAt': '12.000',
		});
	});

	it('nat: lists the client\'s data as it entered the router, outside the server\'s counts', () => {
		const run = foldRunEvents(natRun);
		expect(run.packets.map(packet => [packet.at, packet.kind, packet.n])).toEqual([
			['router-in', 'data', -1],
			['router-in', 'retransmission', -1],
			['router-in', 'retransmission', -1],
		]);
		expect(run.captured).toBe(0);
		expect(run.counters.clientToServer).toBe(0);
	});

	it('busy: the retransmissions, their gaps, the kernel\'s count and the user timeout\'s rule', () => {
		const facts = factsOf(foldRunEvents(busyRun));
		expect(facts).toMatchObject({
			'lab.tcp_retries2': '15',
			'retrans.giveUpAfter': '924.600',
			'params.userTimeout': '3000',
			'retrans.count': '3',
			'retrans.times': '1.300, 1.700, 2.500',
			'retrans.gaps': '0.400, 0.800',
			'retrans.firstRtoAt': '1.300',
			'retrans.expectedError': '4.300',
			'retrans.errorLate': '+0.010',
			'kernel.server.retransmits': '1',
			'kernel.server.rto': '0.40',
			'kernel.server.backoff': '1',
			'kernel.server.unacked': '1',
		});
	});

	it('frozen: when the client stopped and ran again, what its kernel answered meanwhile, the lines', () => {
		expect(factsOf(foldRunEvents(frozenRun))).toMatchObject({
			'peer.frozenAt': '2.000',
			'peer.resumedAt': '6.000',
			'peer.answeredWhileFrozen': '1',
			'server.wrote': 'GET /status',
			'client.read': 'GET /status',
			'client.readAt': '6.010',
		});
	});

	it('timers: the first probe against idle after the last ACK, with the kernel\'s slack for that timer', () => {
		const facts = factsOf(foldRunEvents([ready, sockopt({idle: 20}), seg(0.04, 'client', 'ack'), seg(22.05, 'server', 'keepalive', {relSeq: 0})]));
		expect(facts).toMatchObject({'probe.due': '20.040', 'probe.late': '+2.010', 'probe.slack': '2.560'});
	});
});

describe('the step engine on the scenarios\' prompts and conditions', () => {
	const steps = (...bodies: string[]): Lesson => readLesson('l.md', lesson('', bodies.join('\n'))).lesson!;
	const wait = (until: string) => `## Wait\n\n\`\`\`step\nkind: wait\nuntil: ${until}\n\`\`\`\n\nWaiting.\n`;
	const go = (state: EngineState, ...actions: EngineAction[]) => actions.reduce(reduce, state);
	const events = (list: LabEvent[]): EngineAction[] => list.map(event => ({type: 'lab-event', event}));

	it('a send prompt is done when that side writes after the key, not by a write before it', () => {
		const before = go(initialState([steps(prompt('action: send-client\nline: still there?\n'))]), ...events([ready, natRun[4]!]));
		const pressed = go(before, {type: 'key', key: 'w'});
		expect(pressed.pendingAction).toMatchObject({action: 'send-client', writes: 'still there?'});
		expect(pressed.done).toEqual({});
		const wrote = go(pressed, ...events([{...natRun[4]!, t: 20} as LabEvent]));
		expect(wrote.done).toEqual({'l/0': true});
	});

	it('freeze and resume are done when the lab saw the process stopped, and running again', () => {
		const state = initialState([steps(prompt('action: freeze\n'), prompt('action: resume\n'))]);
		const frozen = go(state, ...events([ready]), {type: 'key', key: 'w'}, ...events([frozenRun[1]!]));
		expect(frozen.done).toEqual({'l/0': true});
		const resumed = go(frozen, {type: 'next'}, {type: 'key', key: 'w'}, ...events([frozenRun[5]!]));
		expect(resumed.done).toEqual({'l/0': true, 'l/1': true});
	});

	it('keepalive-on asks for a restart with the server\'s keepalive on, done by the new run', () => {
		const pressed = go(initialState([steps(prompt('action: keepalive-on\n'))]), ...events([ready]), {type: 'key', key: 'w'});
		expect(pressed.pendingAction).toMatchObject({action: 'keepalive-on'});
		expect(go(pressed, {type: 'lab-reset'}).done).toEqual({'l/0': true});
	});

	it.each([
		['conntrack gone', natRun, true],
		['conntrack present', busyRun, false],
		['invalid 3', natRun, true],
		['packet retransmission from client at router-in count 2', natRun, true],
		['packet data from client', natRun, false],
		['retransmits server 1', busyRun, true],
		['app received client', frozenRun, true],
		['peer resumed', frozenRun, true],
		['peer frozen', natRun, false],
	])('`%s` on the run', (until, run, met) => {
		const state = go(initialState([steps(wait(until))]), ...events(run));
		expect(conditionProgress(parseCondition(until), state.run).met).toBe(met);
		expect(Boolean(state.done['l/0'])).toBe(met);
	});
});

describe('the lab store runs each lesson as it asks', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});

	afterEach(() => {
		vi.useRealTimers();
	});

	const params = {idle: 5, intvl: 5, probes: 3};
	const natLesson = {scenario: 'nat' as const, values: {idle: 3, intvl: 3, probes: 3}};

	it('shares a run between lessons that ask for the same one, and starts one for a lesson that asks for another', async () => {
		const factory = fakeLabFactory([ready]);
		const store = createLabStore(factory.startLab, params);
		store.enterLesson({});
		await vi.advanceTimersByTimeAsync(0);
		store.enterLesson({});
		await vi.advanceTimersByTimeAsync(0);
		expect(factory.runs).toHaveLength(1);
		store.enterLesson(natLesson);
		await vi.advanceTimersByTimeAsync(0);
		expect(factory.runs).toHaveLength(2);
		expect(factory.runs[0]!.calls.stop).toBe(1);
		expect(factory.last()!.options).toMatchObject({scenario: 'nat', idle: 3, intvl: 3, probes: 3});
		expect(store.getSnapshot().params).toEqual({idle: 3, intvl: 3, probes: 3});
		store.enterLesson({});
		await vi.advanceTimersByTimeAsync(0);
		expect(factory.last()!.options).toMatchObject(params);
		expect(factory.last()!.options.scenario).toBeUndefined();
	});

	it('restarts with the server\'s keepalive on, keeps it for `r`, and forgets it in another lesson', async () => {
		const factory = fakeLabFactory([ready]);
		const store = createLabStore(factory.startLab, params);
		store.enterLesson(natLesson);
		await vi.advanceTimersByTimeAsync(0);
		await store.restart({serverKeepalive: true});
		expect(factory.last()!.options).toMatchObject({scenario: 'nat', keepalive: {server: true}});
		await store.restart();
		expect(factory.runs).toHaveLength(3);
		expect(factory.last()!.options.keepalive).toEqual({server: true});
		store.enterLesson({scenario: 'frozen'});
		await vi.advanceTimersByTimeAsync(0);
		store.enterLesson(natLesson);
		await vi.advanceTimersByTimeAsync(0);
		expect(factory.last()!.options).toMatchObject({scenario: 'nat'});
		expect(factory.last()!.options.keepalive).toBeUndefined();
	});

	it('has the run\'s peers write and freeze once the client has connected', async () => {
		const factory = fakeLabFactory([ready]);
		const store = createLabStore(factory.startLab, params);
		store.enterLesson({scenario: 'frozen'});
		await vi.advanceTimersByTimeAsync(0);
		const fake = factory.last()!;
		const sending = store.send('server', 'GET /status');
		const freezing = store.freeze(true);
		expect(fake.calls.send).toEqual([]);
		fake.emit({t: 0.04, type: 'socket', side: 'client', event: 'connected', localPort: 40001, remotePort: 6699});
		await Promise.all([sending, freezing]);
		expect(fake.calls.send).toEqual([{side: 'server', text: 'GET /status'}]);
		expect(fake.calls.freeze).toEqual([true]);
	});
});
