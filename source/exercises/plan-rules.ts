import type {ExerciseCheck, FaultStep} from './types.js';

/** Why a check cannot work with this fault plan (so no values could pass it), or undefined when it can. */
export function planProblem(check: ExerciseCheck, fault: readonly FaultStep[], hasRecorded: boolean): string | undefined {
	// The model (timeline.ts) predicts a run whose peer goes silent once and stays so.
	const modelled = fault.length === 1 && fault[0]!.for === undefined;
	const drops = `the fault plan has ${fault.length} drop${fault.length === 1 ? '' : 's'}`;
	switch (check.type) {
		case 'near':
		case 'timeline': {
			if (!modelled) return 'this check compares the run with the model, which predicts runs with one drop that stays: give `fault:` one drop without `for`';
			if (check.type === 'timeline' && !hasRecorded) return 'this check needs `recorded:`, the recorded run to compare with';
			return undefined;
		}

		case 'within': {
			const n = check.anchor.type === 'drop' ? check.anchor.n : undefined;
			return n !== undefined && n > fault.length ? `there is no drop ${n}: ${drops}` : undefined;
		}

		case 'survives-drop': {
			if (check.n > fault.length) return `there is no drop ${check.n}: ${drops}`;
			return fault[check.n - 1]!.for === undefined ? `drop ${check.n} is never lifted, so nothing can survive it: give it \`for S s\`` : undefined;
		}

		case 'survives': {
			return fault.some(step => step.for === undefined) ? 'a drop that is never lifted ends every connection: give each drop `for S s`, or check `survives drop N`' : undefined;
		}

		case 'condition':
		case 'probe-gaps': {
			return undefined;
		}
	}
}
