import {sandboxCommand} from '../lab/host/sandbox.js';
import type {Check} from './check.js';
import {type LessonNeeds, withoutDrop} from './lesson-needs.js';
import {miniLabParams, type MiniLabResult} from './mini-lab.js';

const {idle, intvl, probes} = miniLabParams;
/** Where to look when the mini-lab fails without the lab's own fix: the whole run, as a timeline. */
const seeTheRun = `run \`ka-tutorial lab --idle ${idle} --intvl ${intvl} --probes ${probes}\` to see the whole run`;

/** When the machine checks failed, the lab would fail the same way: it is not tried. */
export const miniLabNotRun: Check = {status: 'fail', name: 'lab namespace', detail: 'not tried: the lab needs the ✗ above fixed first'};

function because(what: string, problem: MiniLabResult['problem']): string {
	return problem ? `${what}: ${problem.message}` : what;
}

/** One line per step the mini-lab got to: the namespace, the first probe, the drop. */
export function miniLabChecks({run, readyAfter, problem}: MiniLabResult, lessons: LessonNeeds): Check[] {
	const fix = problem?.fix ?? seeTheRun;
	if (readyAfter === null || run.sandbox === null) {
		return [{status: 'fail', name: 'lab namespace', detail: problem?.message ?? 'the lab did not start', fix}];
	}

	const checks: Check[] = [{status: 'ok', name: 'lab namespace', detail: `\`${sandboxCommand(run.sandbox).join(' ')}\`, ready in ${readyAfter.toFixed(2)} s`}];
	const {probe, probeAck, drop} = run;
	if (!probe || !probeAck) {
		const what = probe ? `a probe left at ${probe.t.toFixed(3)} s but no answer was seen` : `no keepalive probe seen (idle ${idle} s)`;
		checks.push({status: 'fail', name: 'keepalive probe', detail: because(what, problem), fix});
		return checks;
	}

	checks.push({status: 'ok', name: 'keepalive probe', detail: `sent at ${probe.t.toFixed(3)} s (idle ${idle} s), answered at ${probeAck.t.toFixed(3)} s`});
	if (run.firewall === 'none') {
		const why = (run.firewallProblem?.message ?? 'no firewall tool works in its namespace').replace(/\.$/, '');
		checks.push({
			status: 'fail',
			name: 'drop',
			detail: `${why}: ${withoutDrop(lessons)}`,
			...(run.firewallProblem ? {fix: run.firewallProblem.fix} : {}),
		});
	} else if (drop.droppedByRule > 0) {
		const answers = drop.droppedByRule === 1 ? 'answer' : 'answers';
		checks.push({status: 'ok', name: 'drop', detail: `\`${drop.command}\`: its counter counted ${drop.droppedByRule} dropped ${answers}`});
	} else {
		checks.push({status: 'fail', name: 'drop', detail: because(drop.command ? `\`${drop.command}\` counted no dropped answer` : 'the drop rule was not added', problem), fix});
	}

	return checks;
}
