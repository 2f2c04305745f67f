import {type KeepaliveParams, limits} from '../lab/shared/params.js';
import {type Blocks, lineOf, walk} from '../lessons/lesson-tree.js';
import {readRun} from '../lessons/front-matter.js';
import {parseMarkdown, unclosedFence} from '../lessons/markdown-parse.js';
import {checkText} from '../lessons/parse.js';
import {collecting, fail, list, type Place, type Problem} from '../lessons/problem.js';
import {yamlFields} from '../lessons/yaml-fields.js';
import {parsePlanStep, type PlanStep} from './fault-plan.js';
import {parseCheck} from './parse-check.js';
import {type Plan, planProblem, serverKeepalive} from './plan-rules.js';
import type {Exercise, Range, RecordedTimeline} from './types.js';

/** The lessons' fields for how the lab runs that an exercise may give; its values are the learner's. */
const runFields = ['scenario', 'server-keepalive', 'nat-timeout'];
const fields = ['id', 'title', 'goal', ...runFields, 'settings', 'fault', 'check', 'recorded', 'hints', 'solution'];
/** The scenarios whose fault the runner acts out (the drop's rule, the router's forgetting). */
const exerciseScenarios = ['drop', 'nat'];
const knobs = Object.keys(limits) as Array<keyof KeepaliveParams>;

/** An exercise file read: the exercise when it is valid, and every problem found. */
export type ExerciseRead = {exercise?: Exercise; problems: Problem[]};

/**
 * Reads one exercise file (YAML front matter, then the exercise's text in Markdown; see
 * lessons/FORMAT.md, "Exercises"). Pure. Each field is checked on its own, so one bad
 * field hides no other.
 */
export function readExercise(file: string, source: string): ExerciseRead {
	const problems: Problem[] = [];
	const tree = parseMarkdown(source);
	const [first, ...body] = tree.children;
	if (first?.type !== 'yaml') {
		return {problems: [{file, line: 1, message: 'the file must start with YAML front matter between `---` lines (id, title, goal, …)'}]};
	}

	const yaml = collecting(problems, () => yamlFields(first.value, {file, line: 2}, 'the front matter', 'the front matter must be YAML fields (id, title, goal, …)'));
	if (!yaml) return {problems};
	const {values} = yaml;
	const at = (key: string, index?: number): Place => ({file, line: yaml.lineOf(key, index)});
	const read = <T>(reader: () => T) => collecting(problems, reader);
	for (const key of Object.keys(values)) {
		const learners = key === 'values' ? ": an exercise's idle, intvl and probes are the learner's (give `settings` and `solution`)" : '';
		if (!fields.includes(key)) problems.push({file, line: yaml.lineOf(key), message: `unknown front matter field \`${key}\`${learners} (expected ${list(fields)})`});
	}

	const need = (key: string, what: string) => {
		if (values[key] === undefined) fail({file, line: 1}, `the front matter has no \`${key}\` (${what})`);
		return values[key];
	};

	const id = read(() => readId(need('id', 'lowercase letters, digits and dashes'), at('id')));
	const title = read(() => oneLine(need('title', 'shown in the list of exercises'), 'title', at('title')));
	const goal = read(() => oneLine(need('goal', 'the goal in one line of words'), 'goal', at('goal')));
	const settings = read(() => readSettings(values['settings'], at('settings')));
	const run = read(() => readExerciseRun(values, at));
	const steps = read(() => readList(need('fault', 'the drops and writes, e.g. `- drop after 1 answered probe`'), 'fault', at).map((text, index) => parsePlanStep(text, at('fault', index))));
	const fault = steps?.flatMap(step => ('drop' in step ? [step.drop] : []));
	const writes = steps?.flatMap(step => ('write' in step ? [step.write] : [])).sort((a, b) => a.after - b.after);
	const check = read(() =>
		readList(need('check', 'the conditions that must hold, e.g. `- rst within 20 s of drop`'), 'check', at).map((text, index) => ({text: text.trim().split(/\s+/).join(' '), check: parseCheck(text, at('check', index))})),
	);
	const recorded = values['recorded'] === undefined ? undefined : read(() => readRecorded(values['recorded'], at('recorded')));
	const hints = read(() => readList(need('hints', 'a list of hints, shown in order'), 'hints', at).map((hint, index) => markdown(hint, at('hints', index))));
	const solution = read(() => readSolution(need('solution', 'the values that pass, and why'), at('solution')));
	if (settings && solution) {
		for (const knob of knobs) {
			const {min, max} = settings[knob];
			if (solution[knob] < min || solution[knob] > max) problems.push({file, line: at('solution').line, message: `the solution's ${knob} ${solution[knob]} is outside its settings (${min}..${max})`});
		}
	}

	if (steps && fault && writes && run) {
		const plan: Plan = {fault, writes, run};
		for (const [index, {check: one}] of (check ?? []).entries()) {
			const problem = planProblem(one, plan, values['recorded'] !== undefined);
			if (problem !== undefined) problems.push({file, line: at('check', index).line, message: problem});
		}

		read(() => checkPlan(steps, plan, at));
	}

	if (recorded && !check?.some(({check: one}) => one.type === 'timeline')) {
		problems.push({file, line: at('recorded').line, message: '`recorded` is only read by the check `timeline matches recorded`, which this exercise has not'});
	}

	for (const node of walk(body)) {
		const fence = node.type === 'code' ? unclosedFence(node, source) : undefined;
		if (fence !== undefined) problems.push({file, line: lineOf(node), message: `the code block opened with ${fence} here is never closed`});
	}

	const bodyLine = (first.position?.end.line ?? 1) + 1;
	if (body.length === 0) problems.push({file, line: bodyLine, message: 'the exercise has no text: describe the situation below the front matter'});
	read(() => checkText(body, {file, line: bodyLine}, false, true));
	problems.sort((a, b) => a.line - b.line);
	if (problems.length > 0) return {problems};
	const lines = Object.fromEntries(Object.keys(values).map(key => [key, yaml.lineOf(key)]));
	const exercise: Exercise = {id: id!, file, title: title!, goal: goal!, settings: settings!, fault: fault!, writes: writes!, run: run!, check: check!, hints: hints!, solution: solution!, text: body, lines};
	return {exercise: recorded ? {...exercise, recorded} : exercise, problems};
}

function readId(value: unknown, place: Place): string {
	if (typeof value !== 'string' || !/^[a-z\d][a-z\d-]*$/.test(value)) {
		fail(place, `\`id\` must be lowercase letters, digits and dashes, like "detect-vanished"; got ${JSON.stringify(value)}`);
	}

	return value;
}

function oneLine(value: unknown, name: string, place: Place): string {
	if (typeof value !== 'string' || value.trim() === '' || value.trim().includes('\n')) fail(place, `\`${name}\` must be one line of text`);
	return value.trim();
}

function readList(value: unknown, name: string, at: (key: string, index?: number) => Place): string[] {
	if (!Array.isArray(value) || value.length === 0) fail(at(name), `\`${name}\` must be a non-empty list`);
	return value.map((item: unknown, index) => {
		if (typeof item !== 'string' || item.trim() === '') fail(at(name, index), `every entry of \`${name}\` must be text (put it in quotes if it holds ": ")`);
		return item;
	});
}

/** Markdown from a YAML string, with the same rules as a lesson's text. */
function markdown(text: string, place: Place): Blocks {
	const blocks = parseMarkdown(text.trim()).children;
	checkText(blocks, place, false, false);
	return blocks;
}

/** `settings:` narrows each knob to `min..max` (or one value) within the kernel's range; a knob left out keeps the kernel's. */
function readSettings(value: unknown, place: Place): Exercise['settings'] {
	const settings = Object.fromEntries(knobs.map(knob => [knob, {...limits[knob]}])) as Record<keyof KeepaliveParams, Range>;
	if (value === undefined) return settings;
	if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(place, `\`settings\` must be fields: ${list(knobs)}`);
	for (const [name, range] of Object.entries(value)) {
		const knob = knobs.find(known => known === name);
		if (knob === undefined) fail(place, `unknown setting \`${name}\` (expected ${list(knobs)})`);
		const {min, max} = limits[knob];
		const match = /^(\d+)(?:\.\.(\d+))?$/.exec(String(range).trim());
		const [low, high] = match ? [Number(match[1]), Number(match[2] ?? match[1])] : [Number.NaN, Number.NaN];
		if (!(low >= min && high <= max && low <= high)) fail(place, `\`${name}\` must be \`min..max\` (or one number) within the kernel's range ${min}..${max}; got ${JSON.stringify(range)}`);
		settings[knob] = {min: low, max: high};
	}

	return settings;
}

function readSolution(value: unknown, place: Place): Exercise['solution'] {
	const expected = `\`solution\` must be fields ${list([...knobs, 'why'])}`;
	if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(place, expected);
	const {why, ...rest} = value as Record<string, unknown>;
	const unknown = Object.keys(rest).find(key => !(knobs as string[]).includes(key));
	if (unknown !== undefined) fail(place, `${expected}; got \`${unknown}\``);
	const params = {} as KeepaliveParams;
	for (const knob of knobs) {
		const setting = rest[knob];
		const {min, max} = limits[knob];
		if (typeof setting !== 'number' || !Number.isInteger(setting) || setting < min || setting > max) {
			fail(place, `the solution's \`${knob}\` must be a whole number from ${min} to ${max}; got ${JSON.stringify(setting)}`);
		}

		params[knob] = setting;
	}

	if (typeof why !== 'string' || why.trim() === '') fail(place, "the solution needs `why:`, the reasoning in words");
	return {...params, why: markdown(why, place)};
}

function readRecorded(value: unknown, place: Place): RecordedTimeline {
	const {probes, rst, ...rest} = (value ?? {}) as Record<string, unknown>;
	const times = Array.isArray(probes) ? probes : [];
	const ascending = times.every((time, index) => typeof time === 'number' && time > 0 && (index === 0 || time > (times[index - 1] as number)));
	if (Object.keys(rest).length > 0 || times.length === 0 || !ascending || typeof rst !== 'number' || rst <= (times.at(-1) as number)) {
		fail(place, '`recorded` must be `probes:` (the probes\' times, rising, in seconds after the handshake) and `rst:` (the RST\'s, after the last probe)');
	}

	return {probes: times as number[], rst};
}

/** How the exercise's lab runs: the lessons' fields (lessons/FORMAT.md), for a scenario whose fault the runner acts out. */
function readExerciseRun(values: Record<string, unknown>, at: (key: string) => Place): Exercise['run'] {
	const run = readRun(Object.fromEntries(runFields.map(key => [key, values[key]])), at, true) ?? {};
	if (run.scenario !== undefined && !exerciseScenarios.includes(run.scenario)) {
		fail(at('scenario'), `an exercise's scenario is ${exerciseScenarios.map(name => `\`${name}\``).join(' or ')}: the runner does not act out \`${run.scenario}\`'s fault`);
	}

	return run;
}

/**
 * A drop after the handshake can only come first; one that is never lifted can only come
 * last; the NAT lab drops nothing (its router forgets); a drop after answered probes needs
 * the server's keepalive.
 */
function checkPlan(steps: PlanStep[], plan: Plan, at: (key: string, index?: number) => Place): void {
	const drops = steps.flatMap((step, index) => ('drop' in step ? [{step: step.drop, index}] : []));
	for (const [n, {step, index}] of drops.entries()) {
		if (plan.run.scenario === 'nat') fail(at('fault', index), 'the NAT lab has no drop rule (its router forgetting the connection is the fault): give `client writes "LINE" after S s` only');
		if (step.after === 0 && n > 0) fail(at('fault', index), '`drop after handshake` can only be the first drop');
		if (step.for === undefined && n < drops.length - 1) fail(at('fault', index), 'a drop that is never lifted can only be the last one (add `for S s`)');
		if (step.after > 0 && !serverKeepalive(plan)) fail(at('fault', index), "the server's keepalive is off in this lab: no probe is answered (give `server-keepalive: true`)");
	}
}
