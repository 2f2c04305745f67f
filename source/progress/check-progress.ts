import {knobs} from '../exercises/settings.js';
import {limits} from '../lab/shared/params.js';
import {type ExerciseProgress, type LessonProgress, type Progress, progressVersion} from './progress.js';

/** Why a parsed file is not Progress; thrown inside this module only, returned as `reason`. */
class Invalid extends Error {}

function invalid(reason: string): never {
	throw new Invalid(reason);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isIndex = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * Parsed JSON checked against Progress: the progress, built from the fields it knows (others
 * are left out), or the first reason it is not, naming the field (`lessons.intro.done[2] is …`).
 */
export function checkProgress(value: unknown): {progress: Progress} | {reason: string} {
	try {
		return {progress: progressOf(value)};
	} catch (error) {
		if (error instanceof Invalid) return {reason: error.message};
		throw error;
	}
}

function progressOf(value: unknown): Progress {
	if (!isObject(value)) invalid('it is not a JSON object');
	const {version, at, lessons, exercises} = value;
	if (typeof version !== 'number') invalid('it has no version number');
	if (version !== progressVersion) invalid(`it is format version ${version}; this ka-tutorial reads version ${progressVersion}`);
	if (!isObject(lessons)) invalid('lessons is not an object');
	const progress: Progress = {version, lessons: {}};
	for (const [id, lesson] of Object.entries(lessons)) progress.lessons[id] = lessonOf(lesson, `lessons.${id}`);
	if (exercises !== undefined) {
		if (!isObject(exercises)) invalid('exercises is not an object');
		progress.exercises = {};
		for (const [id, exercise] of Object.entries(exercises)) progress.exercises[id] = exerciseOf(exercise, `exercises.${id}`);
	}

	if (at === undefined) return progress;
	if (!isObject(at) || typeof at.lesson !== 'string' || !isIndex(at.step)) invalid('at is not {"lesson": id, "step": index}');
	if (at.exercise !== undefined && typeof at.exercise !== 'string') invalid('at.exercise is not an exercise id');
	return {...progress, at: {lesson: at.lesson, step: at.step, ...(at.exercise === undefined ? {} : {exercise: at.exercise})}};
}

function exerciseOf(value: unknown, path: string): ExerciseProgress {
	if (!isObject(value)) invalid(`${path} is not an object`);
	const {passed, tried} = value;
	if (typeof passed !== 'boolean') invalid(`${path}.passed is not true or false`);
	if (!isObject(tried)) invalid(`${path}.tried is not {"idle": s, "intvl": s, "probes": n}`);
	const values = {idle: 0, intvl: 0, probes: 0};
	// A value outside the kernel's range cannot have been run.
	for (const knob of knobs) {
		const given = tried[knob];
		const {min, max} = limits[knob];
		if (!Number.isSafeInteger(given) || (given as number) < min || (given as number) > max) {
			invalid(`${path}.tried.${knob} is not a whole number from ${min} to ${max}`);
		}

		values[knob] = given as number;
	}

	return {passed, tried: values};
}

function lessonOf(value: unknown, path: string): LessonProgress {
	if (!isObject(value)) invalid(`${path} is not an object`);
	const {done, answers} = value;
	if (!Array.isArray(done)) invalid(`${path}.done is not a list`);
	for (const [index, step] of done.entries()) {
		if (!isIndex(step)) invalid(`${path}.done[${index}] is not a step index (a whole number from 0)`);
	}

	if (!isObject(answers)) invalid(`${path}.answers is not an object`);
	const choices: Record<string, number> = {};
	for (const [step, choice] of Object.entries(answers)) {
		if (!/^(0|[1-9]\d*)$/.test(step)) invalid(`${path}.answers has the key "${step}", not a step index`);
		if (!isIndex(choice)) invalid(`${path}.answers.${step} is not a choice (a whole number from 0)`);
		choices[step] = choice;
	}

	return {done: done as number[], answers: choices};
}
