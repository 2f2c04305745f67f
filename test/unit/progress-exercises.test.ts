import {describe, expect, it} from 'vitest';
import {defaultLessonsDir} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import {initialState} from '../../source/lessons/step-engine.js';
import {checkProgress} from '../../source/progress/check-progress.js';
import {emptyProgress, mergeProgress, resumeFrom} from '../../source/progress/progress.js';

const course = loadCourse(defaultLessonsDir());
const [first, second] = course.exercises;
const tried = {idle: 4, intvl: 3, probes: 3};

describe('the exercises in the progress file', () => {
	it('keeps each exercise tried, passed or not, and the one on screen; resumes both', () => {
		const engine = initialState(course, {lesson: 6});
		const exercises = {[first!.id]: {passed: true, tried}, [second!.id]: {passed: false, tried: {idle: 2, intvl: 2, probes: 3}}};
		const saved = mergeProgress(emptyProgress, {...engine, exercises, exercise: second!.id});
		expect(saved.at).toEqual({lesson: course.lessons[6]!.id, step: 0, exercise: second!.id});
		expect(saved.exercises).toEqual(exercises);
		expect(checkProgress(JSON.parse(JSON.stringify(saved)) as unknown)).toEqual({progress: saved});
		const resumed = resumeFrom(saved, course.lessons, undefined, course.exercises);
		expect(resumed).toMatchObject({lesson: 6, step: 0, exercise: 1, exercises});
		// --lesson goes to the lesson, the exercises still count.
		const atLesson = resumeFrom(saved, course.lessons, 2, course.exercises);
		expect(atLesson.exercise).toBeUndefined();
		expect(atLesson.exercises).toEqual(exercises);
	});

	it('keeps the exercises of another course, and writes none where nothing was tried', () => {
		const engine = initialState(course);
		const other = {version: 1 as const, lessons: {}, exercises: {'gone-exercise': {passed: true, tried}}};
		expect(mergeProgress(other, {...engine, exercises: {}}).exercises).toEqual(other.exercises);
		expect(mergeProgress(emptyProgress, {...engine, exercises: {}})).not.toHaveProperty('exercises');
		// An exercise id no longer in the course is not where to resume.
		expect(resumeFrom({...other, at: {lesson: course.lessons[0]!.id, step: 0, exercise: 'gone-exercise'}}, course.lessons, undefined, course.exercises).exercise).toBeUndefined();
	});

	it('reads a file of before the exercises', () => {
		expect(checkProgress({version: 1, at: {lesson: 'intro', step: 1}, lessons: {}})).toEqual({progress: {version: 1, at: {lesson: 'intro', step: 1}, lessons: {}}});
	});

	it.each([
		[{version: 1, lessons: {}, exercises: []}, 'exercises is not an object'],
		[{version: 1, lessons: {}, exercises: {x: true}}, 'exercises.x is not an object'],
		[{version: 1, lessons: {}, exercises: {x: {passed: 'yes', tried}}}, 'exercises.x.passed is not true or false'],
		[{version: 1, lessons: {}, exercises: {x: {passed: true}}}, 'exercises.x.tried is not {"idle": s, "intvl": s, "probes": n}'],
		[{version: 1, lessons: {}, exercises: {x: {passed: true, tried: {...tried, idle: 0}}}}, 'exercises.x.tried.idle is not a whole number from 1 to 32767'],
		[{version: 1, lessons: {}, exercises: {x: {passed: true, tried: {...tried, probes: 128}}}}, 'exercises.x.tried.probes is not a whole number from 1 to 127'],
		[{version: 1, lessons: {}, exercises: {x: {passed: true, tried: {...tried, intvl: '3'}}}}, 'exercises.x.tried.intvl is not a whole number from 1 to 32767'],
		[{version: 1, lessons: {}, at: {lesson: 'intro', step: 0, exercise: 3}}, 'at.exercise is not an exercise id'],
	])('refuses %j: %s', (value, reason) => {
		expect(checkProgress(value)).toEqual({reason});
	});
});
