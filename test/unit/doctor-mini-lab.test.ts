import {describe, expect, it} from 'vitest';
import {miniLabChecks} from '../../source/doctor/mini-lab-checks.js';
import {runMiniLab, type MiniLabResult} from '../../source/doctor/mini-lab.js';
import {LabStartError} from '../../source/lab/host/lab-types.js';
import {en} from '../../source/ui/messages/messages.js';
import {foldRun, initialRun} from '../../source/lab/model/run-state.js';
import type {FirewallEvent, LabEvent, PacketEvent} from '../../source/lab/shared/events.js';
import {eventsUntil, findEvent, loadEvents} from '../helpers/events.js';
import {fakeLabFactory} from '../helpers/fake-lab.js';
import {waitFor} from '../helpers/wait-for.js';

const lessons = {watching: [3, 4, 5], dropping: [6]};
const recorded = loadEvents('fast-drop');
const counted = eventsUntil(recorded, event => event.type === 'firewall' && event.dropped > 0);
const answered = eventsUntil(recorded, event => event.type === 'packet' && event.kind === 'keepalive-ack');
const ready = eventsUntil(recorded, event => event.type === 'lab' && event.event === 'ready');
/** What the recording itself determines: when the first probe left and was answered, and the drop rule. */
const probe = findEvent(recorded, (event): event is PacketEvent => event.type === 'packet' && event.kind === 'keepalive');
const answer = findEvent(recorded, (event): event is PacketEvent => event.type === 'packet' && event.kind === 'keepalive-ack');
const {command} = findEvent(recorded, (event): event is FirewallEvent => event.type === 'firewall' && event.action === 'drop');

function result(events: readonly LabEvent[], more: Partial<MiniLabResult> = {}): MiniLabResult {
	return {run: events.reduce(foldRun, initialRun), readyAfter: 0.42, problem: null, aborted: false, ...more};
}

describe('the mini-lab', () => {
	it('runs until the rule counts a dropped answer, then stops the lab', async () => {
		const factory = fakeLabFactory(recorded);
		const running = runMiniLab(factory.startLab, new AbortController().signal);
		await waitFor(() => expect(factory.last()?.calls.setDrop).toEqual([true]));
		expect(factory.last()!.options).toMatchObject({idle: 1, intvl: 1, probes: 3});
		factory.last()!.finish();
		const {run, problem, aborted} = await running;
		expect({problem, aborted}).toEqual({problem: null, aborted: false});
		expect(run.drop.droppedByRule).toBeGreaterThan(0);
		expect(factory.last()!.calls.stop).toBeGreaterThan(0);
	});

	it('gives the reason and fix of a lab that cannot start', async () => {
		const factory = fakeLabFactory(recorded, {startError: new LabStartError('The `ip` command is missing.', 'Install iproute2.')});
		const {problem, readyAfter} = await runMiniLab(factory.startLab, new AbortController().signal);
		expect({problem, readyAfter}).toEqual({problem: {message: 'The `ip` command is missing.', fix: 'Install iproute2.'}, readyAfter: null});
		expect(factory.last()!.calls.stop).toBeGreaterThan(0);
	});

	it('is bounded in time, and stops the lab when the deadline passes', async () => {
		const factory = fakeLabFactory(ready);
		const {problem, run} = await runMiniLab(factory.startLab, new AbortController().signal, 50);
		expect(problem).toEqual({message: 'the lab got no further within 0.05 s'});
		expect(run.stopped).toBe(true);
	});

	it('stops the lab on a signal', async () => {
		const factory = fakeLabFactory(ready);
		const abort = new AbortController();
		const running = runMiniLab(factory.startLab, abort.signal);
		await waitFor(() => expect(factory.last()?.calls.start).toBe(1));
		abort.abort();
		expect((await running).aborted).toBe(true);
		expect(factory.last()!.stopped).toBe(true);
	});
});

describe('the mini-lab checks', () => {
	it('one ✓ a step: namespace, probe, drop', () => {
		expect(miniLabChecks(result(counted), lessons, en.doctor)).toEqual([
			{status: 'ok', name: 'lab namespace', detail: '`unshare --user --map-root-user --net`, ready in 0.42 s'},
			{status: 'ok', name: 'keepalive probe', detail: `sent at ${probe.t.toFixed(3)} s (idle 1 s), answered at ${answer.t.toFixed(3)} s`},
			{status: 'ok', name: 'drop', detail: `\`${command}\`: its counter counted 1 dropped answer`},
		]);
	});

	it("a lab that did not start: only that, with the lab's fix", () => {
		expect(miniLabChecks(result([], {readyAfter: null, problem: {message: 'no unshare', fix: 'install it'}}), lessons, en.doctor)).toEqual([
			{status: 'fail', name: 'lab namespace', detail: 'no unshare', fix: 'install it'},
		]);
	});

	it('no probe by the deadline: ✗, and where to see the whole run', () => {
		const [, probe] = miniLabChecks(result(ready, {problem: {message: 'the lab got no further within 10 s'}}), lessons, en.doctor);
		expect(probe).toEqual({
			status: 'fail',
			name: 'keepalive probe',
			detail: 'no keepalive probe seen (idle 1 s): the lab got no further within 10 s',
			fix: 'run `ka-tutorial lab --idle 1 --intvl 1 --probes 3` to see the whole run',
		});
	});

	it('without a firewall tool the lab still watches; the drop is ✗ with the fix, and the lessons that still run', () => {
		const noFirewall: LabEvent = {
			t: 0,
			type: 'lab',
			event: 'ready',
			sandbox: 'netns',
			port: 6699,
			firewall: 'none',
			firewallProblem: {message: 'neither iptables nor nft is installed.', fix: 'Install one of them.'},
		};
		const checks = miniLabChecks(result([noFirewall, ...answered.slice(1)]), lessons, en.doctor);
		expect(checks.map(check => check.status)).toEqual(['ok', 'ok', 'fail']);
		expect(checks[2]).toEqual({
			status: 'fail',
			name: 'drop',
			detail: 'neither iptables nor nft is installed: lessons 3–5 still run, since they only watch; lesson 6 cannot drop',
			fix: 'Install one of them.',
		});
	});

	it('a rule that counts nothing is ✗', () => {
		const added = eventsUntil(recorded, event => event.type === 'firewall');
		const [, , drop] = miniLabChecks(result(added, {problem: {message: 'the lab got no further within 10 s'}}), lessons, en.doctor);
		expect(drop).toMatchObject({status: 'fail', detail: `\`${command}\` counted no dropped answer: the lab got no further within 10 s`});
	});
});
