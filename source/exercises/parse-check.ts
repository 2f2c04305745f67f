import {conditionNames, parseCondition} from '../lessons/condition.js';
import {fail, list, type Place} from '../lessons/problem.js';
import type {Anchor, ExerciseCheck, Moment} from './types.js';

/** The lessons' conditions (`until:`), which a check may use as they are. */
const lessonConditions: readonly string[] = conditionNames;
const checkNames = ['rst', 'probe', 'probe-gaps', 'connection', 'survives', 'timeline', 'line'];

const forms = [
	'rst|probe N within S s of drop [N]|connect|last-answer',
	'rst|probe N near S s after connect|last-answer',
	'probe-gaps at least S s',
	'connection survives',
	'survives drop N',
	'timeline matches recorded',
	'line arrives within S s',
];

/**
 * Parses one condition of an exercise's `check:` (lessons/FORMAT.md, "Exercises"): one of
 * the forms above, or any lesson condition such as `socket-error server ETIMEDOUT`.
 */
export function parseCheck(source: string, place: Place): ExerciseCheck {
	const words = source.trim().split(/\s+/);
	const [name = ''] = words;
	if (lessonConditions.includes(name)) return {type: 'condition', condition: parseCondition(source, place)};
	if (!checkNames.includes(name)) {
		fail(place, `unknown check ${JSON.stringify(name)} (expected ${list(checkNames)}, or a lesson condition: ${list(lessonConditions)})`);
	}

	const bad = (): never => fail(place, `cannot read the check \`${source.trim()}\` (expected one of: ${forms.map(form => `\`${form}\``).join('; ')})`);
	const number = (word: string | undefined, whole: boolean): number => {
		const pattern = whole ? /^[1-9]\d*$/ : /^\d+(\.\d+)?$/;
		if (word === undefined || !pattern.test(word) || Number(word) <= 0) bad();
		return Number(word);
	};

	const text = words.join(' ');
	if (text === 'connection survives') return {type: 'survives'};
	if (text === 'timeline matches recorded') return {type: 'timeline'};
	const gaps = /^probe-gaps at least (\S+) s$/.exec(text);
	if (gaps) return {type: 'probe-gaps', seconds: number(gaps[1], false)};
	const arrives = /^line arrives within (\S+) s$/.exec(text);
	if (arrives) return {type: 'arrives', seconds: number(arrives[1], false)};
	const survives = /^survives drop (\S+)$/.exec(text);
	if (survives) return {type: 'survives-drop', n: number(survives[1], true)};
	const timed = /^(rst|probe (\S+)) (within|near) (\S+) s (of|after) (.+)$/.exec(text);
	if (!timed) return bad();
	const [, , probe, how, seconds, joint, anchorText = ''] = timed;
	const moment: Moment = probe === undefined ? {type: 'rst'} : {type: 'probe', n: number(probe, true)};
	if ((how === 'within') !== (joint === 'of')) bad();
	const anchor = readAnchor(anchorText, bad, number);
	if (how === 'within') return {type: 'within', moment, seconds: number(seconds, false), anchor};
	if (anchor.type === 'drop') {
		fail(place, `\`${text}\`: a time after the drop is not the kernel's to aim (the drop comes when the lab reacts); aim after connect or last-answer`);
	}

	return {type: 'near', moment, seconds: number(seconds, false), anchor};
}

function readAnchor(text: string, bad: () => never, number: (word: string | undefined, whole: boolean) => number): Anchor {
	if (text === 'connect' || text === 'last-answer') return {type: text};
	const drop = /^drop(?: (\S+))?$/.exec(text);
	if (!drop) bad();
	return drop?.[1] === undefined ? {type: 'drop'} : {type: 'drop', n: number(drop[1], true)};
}
