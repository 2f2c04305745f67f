import {type Fact, factsIn} from './lesson-tree.js';
import type {Step} from './types.js';

/** The facts a step shows anywhere: in its text, and in a question's choices and explanation. */
export function stepFacts(step: Step): Fact[] {
	return factsIn(step.kind === 'question' ? [...step.text, ...step.choices.flat(), ...step.explain] : step.text);
}
