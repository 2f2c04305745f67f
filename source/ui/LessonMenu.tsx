import {Box, Text} from 'ink';
import {type EngineState, lessonProgress} from '../lessons/step-engine.js';
import {colorsEnabled, paint} from './lab/theme.js';

export type LessonMenuProps = {
	engine: EngineState;
	/** The highlighted row (an index into the lessons). */
	selected: number;
	width: number;
	height: number;
	color?: boolean;
};

/** One row of the menu in `width` columns: marker, number, progress mark, title, and the lab and step counts. */
export function menuRow(engine: EngineState, index: number, selected: boolean, width: number): string {
	const lesson = engine.lessons[index];
	if (!lesson) return '';
	const {done, steps} = lessonProgress(engine, index);
	const mark = done === steps ? '✓' : done > 0 ? '◐' : ' ';
	const left = `${selected ? '▸' : ' '} ${String(index + 1).padStart(String(engine.lessons.length).length)} ${mark} `;
	const right = ` ${lesson.lab ? 'lab ' : '    '}${done}/${steps}`;
	const room = width - [...left].length - [...right].length;
	if (room < 8) return (left + lesson.title).slice(0, width);
	const title = [...lesson.title].length > room ? `${[...lesson.title].slice(0, room - 1).join('').trimEnd()}…`.padEnd(room) : lesson.title.padEnd(room);
	return left + title + right;
}

/** The list of lessons: pick one with ↑/↓ and enter, or its number. */
export function LessonMenu({engine, selected, width, height, color = colorsEnabled()}: LessonMenuProps) {
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold color={paint(color, 'cyan')}>
				Lessons
			</Text>
			<Text> </Text>
			{engine.lessons.map((lesson, index) => (
				<Text
					key={lesson.id}
					wrap="truncate-end"
					inverse={index === selected}
					bold={index === engine.lesson}
					color={paint(color, index === engine.lesson ? 'cyan' : undefined)}
				>
					{menuRow(engine, index, index === selected, width)}
				</Text>
			))}
			<Text> </Text>
			<Text dimColor wrap="wrap">
				✓ done  ◐ started  lab: live lab
			</Text>
		</Box>
	);
}
