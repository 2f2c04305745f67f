import {UsageError} from '../cli-args.js';
import type {KeepaliveParams} from '../lab/shared/params.js';
import type {Course} from '../lessons/types.js';
import {en, type Messages} from '../ui/messages/messages.js';
import {outOfRange} from './settings.js';
import type {Exercise} from './types.js';

/** The course's exercise `id`, once the values are within what it allows; else a usage error naming the ids or the range (in `messages`). */
export function pickExercise(course: Course, id: string, params: KeepaliveParams, messages: Messages = en): Exercise {
	const words = messages.exercises;
	const exercise = course.exercises.find(one => one.id === id);
	if (!exercise) throw new UsageError(words.noExercise(id, course.exercises.map(one => one.id)));
	const wrong = outOfRange(exercise, params);
	if (wrong.length > 0) throw new UsageError(wrong.map(({knob, value, min, max}) => words.notAllowed(knob, value, {min, max}, id)).join('\n'));
	return exercise;
}

/** `verify --list`: one line per exercise, its id and its goal. */
export function exerciseList(course: Course, messages: Messages = en): string {
	if (course.exercises.length === 0) return `${messages.exercises.noExercises}\n`;
	const width = Math.max(...course.exercises.map(({id}) => id.length));
	return course.exercises.map(({id, goal}) => `${id.padEnd(width)}  ${goal}\n`).join('');
}
