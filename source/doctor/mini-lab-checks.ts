import {sandboxCommand} from '../lab/host/sandbox.js';
import type {Messages} from '../ui/messages/messages.js';
import type {Check} from './check.js';
import {type LessonNeeds, withoutDrop} from './lesson-needs.js';
import {miniLabParams, type MiniLabResult} from './mini-lab.js';

type Words = Messages['doctor'];

const {idle, intvl, probes} = miniLabParams;

/** When the machine checks failed, the lab would fail the same way: it is not tried. */
export function miniLabNotRun(words: Words): Check {
	return {status: 'fail', name: words.names.namespace, detail: words.labNotTried};
}

/** One line per step the mini-lab got to: the namespace, the first probe, the drop. */
export function miniLabChecks({run, readyAfter, problem}: MiniLabResult, lessons: LessonNeeds, words: Words): Check[] {
	const {names} = words;
	// Where to look when the mini-lab fails without the lab's own fix: the whole run, as a timeline.
	const fix = problem?.fix ?? words.seeTheRun(`ka-tutorial lab --idle ${idle} --intvl ${intvl} --probes ${probes}`);
	const because = (what: string) => (problem ? words.because(what, problem.message) : what);
	if (readyAfter === null || run.sandbox === null) {
		return [{status: 'fail', name: names.namespace, detail: problem?.message ?? words.labNotStarted, fix}];
	}

	const checks: Check[] = [{status: 'ok', name: names.namespace, detail: words.labReady(sandboxCommand(run.sandbox).join(' '), readyAfter.toFixed(2))}];
	const {probe, probeAck, drop} = run;
	if (!probe || !probeAck) {
		const what = probe ? words.probeUnanswered(probe.t.toFixed(3)) : words.noProbe(idle);
		checks.push({status: 'fail', name: names.probe, detail: because(what), fix});
		return checks;
	}

	checks.push({status: 'ok', name: names.probe, detail: words.probeAnswered(probe.t.toFixed(3), idle, probeAck.t.toFixed(3))});
	if (run.firewall === 'none') {
		const why = (run.firewallProblem?.message ?? words.noFirewallInLab).replace(/\.$/, '');
		checks.push({
			status: 'fail',
			name: names.drop,
			detail: words.because(why, withoutDrop(lessons, words)),
			...(run.firewallProblem ? {fix: run.firewallProblem.fix} : {}),
		});
	} else if (drop.droppedByRule > 0) {
		checks.push({status: 'ok', name: names.drop, detail: words.dropCounted(drop.command ?? '', drop.droppedByRule)});
	} else {
		checks.push({status: 'fail', name: names.drop, detail: because(drop.command ? words.dropNotCounted(drop.command) : words.dropNotAdded), fix});
	}

	return checks;
}
