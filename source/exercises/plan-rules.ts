import {scenarios} from '../lab/scenarios/scenarios.js';
import type {Condition} from '../lessons/types.js';
import type {Exercise, ExerciseCheck} from './types.js';

/** What of an exercise decides which checks can hold: its lab, its drops and its client's writes. */
export type Plan = Pick<Exercise, 'fault' | 'writes' | 'run'>;

/** Whether the server's socket has keepalive on in this plan's lab. */
export function serverKeepalive({run}: Plan): boolean {
	return run.serverKeepalive ?? scenarios[run.scenario ?? 'drop'].keepalive.server;
}

const noKeepalive = "the server's keepalive is off in this lab (`scenario: nat` has it off unless `server-keepalive: true`), so no probe goes out and no RST comes";
const noWrite = 'the client writes nothing: add `client writes "LINE" after S s` to `fault:`';

/** Why a lesson condition cannot be met in an exercise's run of this plan, or undefined when it can. */
function conditionProblem(condition: Condition, plan: Plan): string | undefined {
	const nat = scenarios[plan.run.scenario ?? 'drop'].topology === 'nat';
	const aboutRouter = condition.type === 'conntrack' || condition.type === 'invalid' || (condition.type === 'packet' && condition.at !== undefined);
	if (aboutRouter && !nat) return 'this condition is about the NAT router, which only `scenario: nat` has';
	if (condition.type === 'packet' && condition.kind === 'keepalive' && condition.from !== 'client' && !serverKeepalive(plan)) return noKeepalive;
	if (condition.type === 'peer') return "no exercise's run freezes the client";
	if (condition.type !== 'app') return undefined;
	// In an exercise's run only the client's application writes, when the plan says so.
	const clientWrites = (condition.side === 'client' && condition.event !== 'received') || (condition.side === 'server' && condition.event === 'received');
	if (!clientWrites) return "the server's application writes nothing in an exercise's run";
	return plan.writes.length === 0 ? noWrite : undefined;
}

/** Why a check cannot work with this fault plan and lab (so no values could pass it), or undefined when it can. */
export function planProblem(check: ExerciseCheck, plan: Plan, hasRecorded: boolean): string | undefined {
	const {fault} = plan;
	// The model (timeline.ts) predicts a run whose peer goes silent once and stays so.
	const modelled = fault.length === 1 && fault[0]!.for === undefined;
	const drops = `the fault plan has ${fault.length} drop${fault.length === 1 ? '' : 's'}`;
	const aboutProbes = check.type === 'near' || check.type === 'timeline' || check.type === 'within' || check.type === 'probe-gaps';
	if (aboutProbes && !serverKeepalive(plan)) return noKeepalive;
	switch (check.type) {
		case 'near':
		case 'timeline': {
			if (!modelled) return 'this check compares the run with the model, which predicts runs with one drop that stays: give `fault:` one drop without `for`';
			if (check.type === 'timeline' && !hasRecorded) return 'this check needs `recorded:`, the recorded run to compare with';
			return undefined;
		}

		case 'within': {
			if (check.anchor.type !== 'drop') return undefined;
			const n = check.anchor.n ?? 1;
			return n > fault.length ? `there is no drop ${n}: ${drops}` : undefined;
		}

		case 'survives-drop': {
			if (check.n > fault.length) return `there is no drop ${check.n}: ${drops}`;
			return fault[check.n - 1]!.for === undefined ? `drop ${check.n} is never lifted, so nothing can survive it: give it \`for S s\`` : undefined;
		}

		case 'survives': {
			if (fault.length === 0) return `there is no drop to survive: ${drops}`;
			return fault.some(step => step.for === undefined) ? 'a drop that is never lifted ends every connection: give each drop `for S s`, or check `survives drop N`' : undefined;
		}

		case 'arrives': {
			return plan.writes.length === 0 ? noWrite : undefined;
		}

		case 'condition': {
			return conditionProblem(check.condition, plan);
		}

		case 'probe-gaps': {
			return undefined;
		}
	}
}
