import {Box, Text} from 'ink';
import {type EngineState, lessonProgress} from '../lessons/step-engine.js';
import {columnsOf, cutTo, padEnd} from './lab/format.js';
import {useTheme} from './theme.js';

export type LessonMenuProps = {
	engine: EngineState;
	/** The highlighted row (an index into the lessons). */
	selected: number;
	width: number;
	height: number;
};

/** One row of the menu in `width` columns: marker, number, progress mark, title, and the lab and step counts. */
export function menuRow(engine: EngineState, index: number, selected: boolean, width: number): string {
	const lesson = engine.lessons[index];
	if (!lesson) return '';
	const {done, steps} = lessonProgress(engine, index);
	const mark = done === steps ? '✓' : done > 0 ? '◐' : ' ';
	const left = `${selected ? '▸' : ' '} ${String(index + 1).padStart(String(engine.lessons.length).length)} ${mark} `;
	const right = ` ${lesson.lab ? 'lab ' : '    '}${done}/${steps}`;
	const room = width - columnsOf(left) - columnsOf(right);
	if (room < 8) return cutTo(left + lesson.title, width);
	const title = columnsOf(lesson.title) > room ? `${cutTo(lesson.title, room - 1).trimEnd()}…` : lesson.title;
	return left + padEnd(title, room) + right;
}

const legend = '✓ done  ◐ started  lab: live lab';

/**
 * Which lessons get a row when not all fit in `rows`: a window that keeps the selected
 * one in view, as near the middle as the ends allow.
 */
function windowOf(count: number, selected: number, rows: number): {from: number; to: number} {
	if (count <= rows) return {from: 0, to: count};
	const from = Math.min(Math.max(0, selected - Math.floor(rows / 2)), count - rows);
	return {from, to: from + rows};
}

/** The list of lessons: pick one with ↑/↓ and enter, or its number. Short of rows, the blank rows and the legend go first. */
export function LessonMenu({engine, selected, width, height}: LessonMenuProps) {
	const {paint} = useTheme();
	const count = engine.lessons.length;
	const spaced = count + 4 <= height;
	const withLegend = count + 2 <= height;
	const listRows = Math.max(1, height - 1 - (spaced ? 2 : 0) - (withLegend ? 1 : 0));
	const {from, to} = windowOf(count, selected, listRows);
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold color={paint('cyan')}>
				Lessons
			</Text>
			{spaced ? <Text> </Text> : null}
			{engine.lessons.slice(from, to).map((lesson, offset) => {
				const index = from + offset;
				return (
					<Text
						key={lesson.id}
						wrap="truncate-end"
						inverse={index === selected}
						bold={index === engine.lesson}
						color={paint(index === engine.lesson ? 'cyan' : undefined)}
					>
						{menuRow(engine, index, index === selected, width)}
					</Text>
				);
			})}
			{spaced ? <Text> </Text> : null}
			{withLegend ? (
				<Text dimColor wrap="truncate-end">
					{legend}
				</Text>
			) : null}
		</Box>
	);
}
