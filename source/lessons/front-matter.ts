import type {Root} from 'mdast';
import {scenarioProblem, scenarios, type ScenarioName} from '../lab/scenarios/scenarios.js';
import {type KeepaliveParams, limits, natTimeoutLimits, sysctlNames, userTimeoutLimits} from '../lab/shared/params.js';
import {fail, list} from './problem.js';
import type {LessonRun} from './types.js';
import {yamlFields} from './yaml-fields.js';

/** What a lesson's front matter says about it (lessons/FORMAT.md). */
export type FrontMatter = {
	id: string;
	title: string;
	lab: boolean;
	/** The lab namespace's own keepalive sysctls this lesson wants set, by knob. */
	sysctls?: Partial<KeepaliveParams>;
	run?: LessonRun;
};

/** The fields that say how the lesson's lab runs (they need `lab: true`). */
const runFields = ['scenario', 'values', 'user-timeout', 'server-keepalive', 'nat-timeout'];
const fields = ['id', 'title', 'lab', 'sysctls', ...runFields];
const knobs = Object.keys(sysctlNames) as Array<keyof KeepaliveParams>;

/** Reads the `yaml` node a lesson's tree starts with; throws a LessonError at the field that is wrong. */
export function readFrontMatter(file: string, tree: Root, source: string): FrontMatter {
	const [first] = tree.children;
	if (first?.type !== 'yaml') {
		const opened = source.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]?.trimEnd() === '---';
		fail({file, line: 1}, opened ? 'the front matter has no closing `---` line' : 'the file must start with YAML front matter between `---` lines (id, title, lab)');
	}

	const top = {file, line: 1};
	const {values, lineOf} = yamlFields(first.value, {file, line: 2}, 'the front matter', 'the front matter must be YAML fields (id, title, lab)');
	const at = (key: string) => ({file, line: lineOf(key)});
	for (const key of Object.keys(values)) {
		if (!fields.includes(key)) fail(at(key), `unknown front matter field \`${key}\` (expected ${list(fields)})`);
	}

	const {id, title, lab = false, sysctls} = values;
	if (id === undefined) fail(top, 'the front matter has no `id`');
	if (typeof id !== 'string' || !/^[a-z\d][a-z\d-]*$/.test(id)) {
		fail(at('id'), `\`id\` must be lowercase letters, digits and dashes, like "cut-the-wire"; got ${JSON.stringify(id)}`);
	}

	if (title === undefined) fail(top, 'the front matter has no `title`');
	if (typeof title !== 'string' || title.trim() === '') fail(at('title'), '`title` must be a non-empty text');
	if (typeof lab !== 'boolean') fail(at('lab'), `\`lab\` must be true or false; got ${JSON.stringify(lab)}`);
	const meta = {id, title: title.trim(), lab};
	const run = readRun(values, at, lab);
	return {
		...meta,
		...(sysctls === undefined ? {} : {sysctls: readSysctls(sysctls, message => fail(at('sysctls'), message))}),
		...(run === undefined ? {} : {run}),
	};
}

/** The lab's scenario and options for this lesson (or exercise), when the front matter gives any. */
export function readRun(values: Record<string, unknown>, at: (key: string) => {file: string; line: number}, lab: boolean): LessonRun | undefined {
	const given = runFields.filter(key => values[key] !== undefined);
	if (given.length === 0) return undefined;
	if (!lab) fail(at(given[0]!), `\`${given[0]}\` says how the lab runs: it needs \`lab: true\``);
	const run: LessonRun = {};
	const scenario = values['scenario'];
	if (scenario !== undefined) {
		const problem = typeof scenario === 'string' ? scenarioProblem(scenario) : `\`scenario\` must be a name; the scenarios are ${list(Object.keys(scenarios))}`;
		if (problem !== undefined) fail(at('scenario'), problem);
		run.scenario = scenario as ScenarioName;
	}

	if (values['values'] !== undefined) run.values = readValues(values['values'], message => fail(at('values'), message));
	const whole = (key: string, {min, max}: {min: number; max: number}, unit: string): number => {
		const value = values[key];
		if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
			fail(at(key), `\`${key}\` must be a whole number of ${unit} from ${min} to ${max}; got ${JSON.stringify(value)}`);
		}

		return value;
	};

	if (values['user-timeout'] !== undefined) run.userTimeout = whole('user-timeout', userTimeoutLimits, 'milliseconds');
	if (values['nat-timeout'] !== undefined) {
		if (scenarios[run.scenario ?? 'drop'].routerTimeout === null) fail(at('nat-timeout'), '`nat-timeout` is the router\'s: it needs `scenario: nat`');
		run.natTimeout = whole('nat-timeout', natTimeoutLimits, 'seconds');
	}

	const keepalive = values['server-keepalive'];
	if (keepalive !== undefined) {
		if (typeof keepalive !== 'boolean') fail(at('server-keepalive'), `\`server-keepalive\` must be true or false; got ${JSON.stringify(keepalive)}`);
		run.serverKeepalive = keepalive;
	}

	return run;
}

/** `values:` gives all three of idle, intvl and probes, each within its socket option's range. */
function readValues(value: unknown, bad: (message: string) => never): KeepaliveParams {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) bad(`\`values\` must be fields: ${list(knobs)}`);
	const fields = value as Record<string, unknown>;
	for (const key of Object.keys(fields)) if (!(knobs as string[]).includes(key)) bad(`unknown knob \`${key}\` in \`values\` (expected ${list(knobs)})`);
	const read = (knob: keyof KeepaliveParams): number => {
		const setting = fields[knob];
		const {min, max} = limits[knob];
		if (setting === undefined) bad(`\`values\` needs all of ${list(knobs)}: \`${knob}\` is missing`);
		if (typeof setting !== 'number' || !Number.isInteger(setting) || setting < min || setting > max) {
			bad(`\`${knob}\` in \`values\` must be a whole number from ${min} to ${max}; got ${JSON.stringify(setting)}`);
		}

		return setting;
	};

	return {idle: read('idle'), intvl: read('intvl'), probes: read('probes')};
}

/** `sysctls:` maps sysctl names to values within the kernel's ranges for the matching socket options. */
function readSysctls(value: unknown, bad: (message: string) => never): Partial<KeepaliveParams> {
	const names = list(knobs.map(knob => sysctlNames[knob]));
	if (value === null || typeof value !== 'object' || Array.isArray(value)) bad(`\`sysctls\` must be fields: ${names}`);
	const sysctls: Partial<KeepaliveParams> = {};
	for (const [name, setting] of Object.entries(value)) {
		const knob = knobs.find(knob => sysctlNames[knob] === name);
		if (knob === undefined) bad(`unknown sysctl \`${name}\` (expected ${names})`);
		const {min, max} = limits[knob];
		if (typeof setting !== 'number' || !Number.isInteger(setting) || setting < min || setting > max) {
			bad(`\`${name}\` must be a whole number from ${min} to ${max}; got ${JSON.stringify(setting)}`);
		}

		sysctls[knob] = setting;
	}

	return sysctls;
}
