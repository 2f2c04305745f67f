import {Box, Text} from 'ink';
import type {Exercise} from '../exercises/types.js';
import {type EngineState, lessonProgress} from '../lessons/step-engine.js';
import type {ExerciseProgress} from '../progress/progress.js';
import {columnsOf, cutTo, padEnd} from './lab/format.js';
import type {Messages} from './messages/messages.js';
import {useMessages} from './messages/messages-context.js';
import {useTheme} from './theme.js';

export type LessonMenuProps = {
	engine: EngineState;
	/** The highlighted row: an index into the lessons, or the lessons' count plus one into the exercises. */
	selected: number;
	width: number;
	height: number;
	/** Listed after the lessons, under a heading of their own. */
	exercises?: readonly Exercise[];
	exerciseProgress?: Readonly<Record<string, ExerciseProgress>>;
	/** The row on screen, numbered as `selected`; default the engine's lesson. */
	current?: number;
};

type RowParts = {selected: boolean; number: number; count: number; mark: string; title: string; right: string};

/** A row in `width` columns: marker, number, mark, the title cut to the room left, and what goes on the right. */
function rowText({selected, number, count, mark, title, right}: RowParts, width: number): string {
	const left = `${selected ? '▸' : ' '} ${String(number).padStart(String(count).length)} ${mark} `;
	const room = width - columnsOf(left) - columnsOf(right);
	if (room < 8) return cutTo(left + title, width);
	const cut = columnsOf(title) > room ? `${cutTo(title, room - 1).trimEnd()}…` : title;
	return left + padEnd(cut, room) + right;
}

/** One row of the menu in `width` columns: marker, number, progress mark, title, and the lab and step counts. */
export function menuRow(engine: EngineState, index: number, selected: boolean, width: number, words: Messages['menu']): string {
	const lesson = engine.lessons[index];
	if (!lesson) return '';
	const {done, steps} = lessonProgress(engine, index);
	const mark = done === steps ? '✓' : done > 0 ? '◐' : ' ';
	const right = ` ${padEnd(lesson.lab ? words.lab : '', columnsOf(words.lab))} ${done}/${steps}`;
	return rowText({selected, number: index + 1, count: engine.lessons.length, mark, title: lesson.title, right}, width);
}

/** An exercise's row: ✓ passed, ◐ tried; every exercise runs the lab. */
export function exerciseRow(exercises: readonly Exercise[], index: number, progress: ExerciseProgress | undefined, selected: boolean, width: number, words: Messages['menu']): string {
	const exercise = exercises[index];
	if (!exercise) return '';
	const mark = progress?.passed ? '✓' : progress ? '◐' : ' ';
	return rowText({selected, number: index + 1, count: exercises.length, mark, title: exercise.title, right: ` ${words.lab}`}, width);
}

/** A row of the list: a lesson, the exercises' heading, or an exercise; `row` numbers lessons and exercises as `selected` does. */
type Item = {key: string; row: number | null; text: (selected: boolean) => string};

/**
 * Which lessons get a row when not all fit in `rows`: a window that keeps the selected
 * one in view, as near the middle as the ends allow.
 */
function windowOf(count: number, selected: number, rows: number): {from: number; to: number} {
	if (count <= rows) return {from: 0, to: count};
	const from = Math.min(Math.max(0, selected - Math.floor(rows / 2)), count - rows);
	return {from, to: from + rows};
}

/**
 * The list of lessons, then the exercises: pick one with ↑/↓ and enter, or a lesson by its
 * number. Short of rows, the blank rows and the legend go first.
 */
export function LessonMenu({engine, selected, width, height, exercises = [], exerciseProgress = {}, current = engine.lesson}: LessonMenuProps) {
	const {paint} = useTheme();
	const words = useMessages().menu;
	const lessons = engine.lessons.length;
	const items: Item[] = [
		...engine.lessons.map((lesson, index): Item => ({key: lesson.id, row: index, text: chosen => menuRow(engine, index, chosen, width, words)})),
		...(exercises.length > 0 ? [{key: ' exercises', row: null, text: () => words.exercises}] : []),
		...exercises.map((exercise, index): Item => ({
			key: `exercise ${exercise.id}`,
			row: lessons + index,
			text: chosen => exerciseRow(exercises, index, exerciseProgress[exercise.id], chosen, width, words),
		})),
	];
	const count = items.length;
	const spaced = count + 4 <= height;
	const withLegend = count + 2 <= height;
	const listRows = Math.max(1, height - 1 - (spaced ? 2 : 0) - (withLegend ? 1 : 0));
	const {from, to} = windowOf(count, items.findIndex(({row}) => row === selected), listRows);
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold color={paint('cyan')}>
				{words.title}
			</Text>
			{spaced ? <Text> </Text> : null}
			{items.slice(from, to).map(({key, row, text}) =>
				row === null ? (
					<Text key={key} bold color={paint('cyan')} wrap="truncate-end">
						{text(false)}
					</Text>
				) : (
					<Text key={key} wrap="truncate-end" inverse={row === selected} bold={row === current} color={paint(row === current ? 'cyan' : undefined)}>
						{text(row === selected)}
					</Text>
				),
			)}
			{spaced ? <Text> </Text> : null}
			{withLegend ? (
				<Text dimColor wrap="truncate-end">
					{words.legend}
				</Text>
			) : null}
		</Box>
	);
}
