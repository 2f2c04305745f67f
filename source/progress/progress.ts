import {type Answer, type EngineState, type SavedProgress, stepKey} from '../lessons/step-engine.js';
import type {Exercise} from '../exercises/types.js';
import type {KeepaliveParams} from '../lab/shared/params.js';
import type {Lesson} from '../lessons/types.js';

/*
 * The learner's saved progress, as the file holds it: lessons by id, steps by index. It is a
 * projection of the step engine's state (which alone decides when a step is done), taken
 * on the way out (mergeProgress) and turned back into the engine's start (resumeFrom).
 */

export const progressVersion = 1;

/**
 * One lesson's progress. A lesson is completed when all its steps are done (the menu's ✓),
 * so that is not stored a second time.
 */
export type LessonProgress = {
	/** Steps done, ascending: read past, exercise passed (a wait met, a prompt confirmed), question answered. */
	done: number[];
	/** The choice given to each question answered (0 = a), by step index. */
	answers: Record<string, number>;
};

/** One exercise's progress: passed once (a later failed try does not take that back), and the values last run. */
export type ExerciseProgress = {passed: boolean; tried: KeepaliveParams};

export type Progress = {
	version: typeof progressVersion;
	/** Where the learner was: a lesson's step, or an exercise opened from there (older files have no `exercise`). */
	at?: {lesson: string; step: number; exercise?: string};
	lessons: Record<string, LessonProgress>;
	/** By exercise id; absent in files written before the exercises. */
	exercises?: Record<string, ExerciseProgress>;
};

export const emptyProgress: Progress = {version: progressVersion, lessons: {}};

/** What of the step engine's state is saved. */
export type EngineProgress = Pick<EngineState, 'lessons' | 'lesson' | 'step' | 'done' | 'answers'>;

/** What the tutorial saves: the engine's progress, the exercises tried, and the exercise on screen. */
export type TutorialProgress = EngineProgress & {exercises?: Readonly<Record<string, ExerciseProgress>>; exercise?: string | undefined};

/**
 * The engine's progress over `previous`: the course's lessons as the engine has them (it
 * started from `previous`), the others (another course's, or a lesson since removed) kept.
 */
export function mergeProgress(previous: Progress, engine: TutorialProgress): Progress {
	const lessons = {...previous.lessons};
	for (const lesson of engine.lessons) {
		const done: number[] = [];
		const answers: Record<string, number> = {};
		for (const index of lesson.steps.keys()) {
			const key = stepKey(lesson, index);
			if (engine.done[key]) done.push(index);
			const answer = engine.answers[key];
			if (answer) answers[index] = answer.choice;
		}

		if (done.length > 0) lessons[lesson.id] = {done, answers};
		else delete lessons[lesson.id];
	}

	const at = engine.lessons[engine.lesson];
	const exercises = {...previous.exercises, ...engine.exercises};
	const exercise = engine.exercise === undefined ? {} : {exercise: engine.exercise};
	return {
		version: progressVersion,
		...(at ? {at: {lesson: at.id, step: engine.step, ...exercise}} : {}),
		lessons,
		...(Object.keys(exercises).length > 0 ? {exercises} : {}),
	};
}

/** Where the tutorial resumes: the engine's start, the exercises' progress, and the exercise to show (an index), if one was on screen. */
export type Resume = SavedProgress & {exercises: Record<string, ExerciseProgress>; exercise?: number};

/**
 * The engine's start (initialState's `saved`) from saved progress: the done marks and answers
 * that still fit the course, at the lesson and step where the learner was, or at the first
 * step of `startLesson` (0-based, from --lesson) when given. A lesson no longer in the course
 * starts at the first one; a step past a lesson's end, the engine turns into its first.
 */
export function resumeFrom(progress: Progress, lessons: readonly Lesson[], startLesson?: number, exercises: readonly Exercise[] = []): Resume {
	const done: Record<string, true> = {};
	const answers: Record<string, Answer> = {};
	for (const lesson of lessons) {
		const saved = progress.lessons[lesson.id];
		if (!saved) continue;
		for (const index of saved.done) {
			if (index < lesson.steps.length) done[stepKey(lesson, index)] = true;
		}

		for (const [index, choice] of Object.entries(saved.answers)) {
			const step = lesson.steps[Number(index)];
			// A question since changed into another kind of step, or given fewer choices, loses its answer.
			if (step?.kind !== 'question' || choice >= step.choices.length) continue;
			const key = stepKey(lesson, Number(index));
			answers[key] = {choice, correct: choice === step.answer};
			// The engine refuses a second answer and waits for one to go on: an answered question must be done.
			done[key] = true;
		}
	}

	// Kept for every exercise id, the course's or not, as the lessons of another course are.
	const tried = {...progress.exercises};
	if (startLesson !== undefined) return {lesson: startLesson, step: 0, done, answers, exercises: tried};
	const lesson = lessons.findIndex(({id}) => id === progress.at?.lesson);
	const exercise = exercises.findIndex(({id}) => id === progress.at?.exercise);
	const at = lesson < 0 ? {lesson: 0, step: 0} : {lesson, step: progress.at?.step ?? 0};
	return {...at, done, answers, exercises: tried, ...(exercise < 0 ? {} : {exercise})};
}
