import type {Root} from 'mdast';
import {type KeepaliveParams, limits, sysctlNames} from '../lab/shared/params.js';
import {fail, list} from './problem.js';
import {yamlFields} from './yaml-fields.js';

/** What a lesson's front matter says about it (lessons/FORMAT.md). */
export type FrontMatter = {
	id: string;
	title: string;
	lab: boolean;
	/** The lab namespace's own keepalive sysctls this lesson wants set, by knob. */
	sysctls?: Partial<KeepaliveParams>;
};

const fields = ['id', 'title', 'lab', 'sysctls'];
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
	return sysctls === undefined ? meta : {...meta, sysctls: readSysctls(sysctls, message => fail(at('sysctls'), message))};
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
