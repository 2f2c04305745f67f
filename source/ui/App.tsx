import {Box, Text, useApp} from 'ink';
import {useEffect, useMemo} from 'react';
import type {Lab, LabOptions} from '../lab/host/lab-types.js';
import {factsOf} from '../lessons/facts.js';
import {currentLesson} from '../lessons/step-engine.js';
import type {Course, Facts} from '../lessons/types.js';
import type {Resume} from '../progress/progress.js';
import {exerciseScreen} from './exercise/exercise-screen.js';
import {Help} from './Help.js';
import {hintsFor} from './keys/key-lookup.js';
import {KeyHints} from './KeyHints.js';
import {columnsOf} from './lab/format.js';
import {LabPane} from './lab/LabPane.js';
import {LabUnavailable} from './lab/LabUnavailable.js';
import {layout} from './layout.js';
import {LessonMenu} from './LessonMenu.js';
import {type LabStatus, lessonScreen, screenInputOf} from './lesson/lesson-screen.js';
import {ScrolledPane} from './lesson/ScrolledPane.js';
import {useMessages} from './messages/messages-context.js';
import {TooSmall} from './TooSmall.js';
import {useCommands} from './use-commands.js';
import {useEqualValue} from './use-equal-value.js';
import {useLabStore} from './use-lab-store.js';
import {useTerminalSize} from './use-terminal-size.js';
import {type ProgressSaver, useTutorial} from './use-tutorial.js';
import {useTutorialInput} from './use-tutorial-input.js';

export type AppProps = {
	course: Course;
	/** Makes a lab run (runTutorial passes one wrapping createLab; tests pass a double). */
	startLab: (options: LabOptions) => Lab;
	labOptions: LabOptions;
	/** Where to start: a 0-based lesson and step (or an exercise), and what was done before (saved progress); default the first step. */
	start?: Partial<Resume>;
	/** Keeps the learner's progress between runs; none in tests that do not ask for it. */
	progress?: ProgressSaver;
	/** host.* sysctls and lab.preset, for the lessons' placeholders. */
	hostFacts?: Facts;
	/** Called with the exit code once the lab has stopped, right before the app exits. */
	onExit?: (code: number) => void;
};

const noFacts: Facts = {};

/**
 * The tutorial: the lesson on the left, the live lab on the right (or under it in a narrow
 * terminal), key hints at the bottom. The lab store runs the lab (through `startLab`); this
 * component tells it which lesson is shown, hands it the commands, and shows what it reports.
 */
export function App({course, startLab, labOptions, start, progress, hostFacts = noFacts, onExit}: AppProps) {
	const {exit} = useApp();
	const size = useTerminalSize();
	const messages = useMessages();
	const {store: tutorial, state} = useTutorial(course, messages, start, progress);
	const {dispatch} = tutorial;
	const {engine} = state;
	const lesson = currentLesson(engine);
	const {exercise: shownExercise} = state;
	const exercise = shownExercise ? course.exercises[shownExercise.index] : undefined;
	const exerciseIndex = shownExercise?.index ?? null;

	const {store: lab, snapshot} = useLabStore(startLab, labOptions);
	// Before the lab is first asked for: a run's reset and events must all reach the step engine.
	useEffect(() => lab.feed(dispatch), [lab, dispatch]);
	// An exercise starts its own runs; entering one (or another) stops the one before.
	useEffect(() => {
		lab.enterLesson(exerciseIndex === null && lesson.lab ? (lesson.run ?? {}) : null);
	}, [lab, lesson.lab, lesson.run, engine.lesson, exerciseIndex]);
	useCommands(state.commands, lab, dispatch, messages);

	// Exits once the frame that says the lab has stopped is drawn.
	const {exitCode} = state;
	useEffect(() => {
		if (exitCode === null) return;
		onExit?.(exitCode);
		exit();
	}, [exitCode, onExit, exit]);

	const {view, status, problem, params} = snapshot;
	const facts = useMemo(() => ({...hostFacts, ...factsOf(engine.run)}), [engine.run, hostFacts]);
	// An exercise shows the lab once it has been run.
	const hasLab = shownExercise ? shownExercise.run !== null : lesson.lab;
	const labStatus: LabStatus = !hasLab
		? 'none'
		: status === 'unavailable'
			? 'unavailable'
			: status === 'ended'
				? 'ended'
				: view.ready
					? 'running'
					: 'starting';

	const box = layout(size.columns, size.rows, hasLab);
	const {notice} = state;
	const exercises = course.exercises.length;
	const passed = exercise ? (state.exerciseProgress[exercise.id]?.passed ?? false) : false;
	const width = box.lessonWidth;
	const height = box.lessonHeight;
	// The run and the kernel's readings change with every lab event: the lesson is laid out
	// again only when what its step shows of them does, and drawn again only when its text does.
	const lessonInput = useEqualValue(screenInputOf(engine, facts));
	const screen = useEqualValue(
		useMemo(
			() =>
				shownExercise && exercise
					? exerciseScreen({exercise, screen: shownExercise, count: exercises, passed, notice, width, height, messages})
					: lessonScreen({...lessonInput, lab: labStatus, notice, width, height, messages, exercises}),
			[shownExercise, exercise, exercises, passed, lessonInput, labStatus, notice, width, height, messages],
		),
	);
	const shown = useMemo(
		() => ({maxScroll: screen.maxScroll, page: Math.max(1, screen.textRows - 2), textRows: screen.text.length, lab: labStatus}),
		[screen, labStatus],
	);
	useTutorialInput(tutorial, shown);
	// The same hints keep their identity, so that a lab event does not draw the hint row again.
	const hints = useEqualValue(hintsFor({...shown, state}));

	// The last frame's words; a shorter form where the terminal is narrower.
	const {app: words} = messages;
	const stopped = columnsOf(words.stopped) <= size.columns ? words.stopped : words.stoppedShort;
	const footer = state.quitting ? <Text wrap="truncate-end">{exitCode === null ? words.stopping : stopped}</Text> : null;
	if (box.tooSmall) {
		return (
			<Box flexDirection="column" width={box.columns}>
				{footer ?? <TooSmall columns={size.columns} rows={size.rows} />}
			</Box>
		);
	}

	// An overlay replaces the lesson pane; stacked, it takes the lab's rows too.
	const overlay = state.overlay === 'help' || state.overlay === 'menu';
	const leftHeight = overlay ? box.paneRows : box.lessonHeight;
	const left =
		state.overlay === 'help' ? (
			<Help lessonCount={engine.lessons.length} screen={shownExercise ? 'exercise' : 'lesson'} width={box.lessonWidth} height={leftHeight} />
		) : state.overlay === 'menu' ? (
			<LessonMenu
				engine={engine}
				selected={state.menu}
				width={box.lessonWidth}
				height={leftHeight}
				exercises={course.exercises}
				exerciseProgress={state.exerciseProgress}
				current={shownExercise ? engine.lessons.length + shownExercise.index : engine.lesson}
			/>
		) : (
			<ScrolledPane screen={screen} scroll={state.scroll} width={Math.max(10, box.lessonWidth)} height={box.lessonHeight} />
		);

	// Stacked, a rule keeps the lab apart from the lesson above it.
	const rule = box.stacked ? 1 : 0;
	const right = !hasLab || (overlay && box.stacked) ? null : problem ? (
		// Cut at the pane's bottom rather than squeezed into it (squeezed rows overlap).
		<Box flexShrink={0}>
			<LabUnavailable error={problem} width={box.labWidth} />
		</Box>
	) : (
		<LabPane view={view} params={params} width={box.labWidth} height={box.labHeight - rule} />
	);

	return (
		<Box flexDirection="column" width={box.columns} height={box.rows}>
			<Box flexDirection={box.stacked ? 'column' : 'row'} height={box.paneRows}>
				<Box width={box.lessonWidth} height={leftHeight} flexShrink={0}>
					{left}
				</Box>
				{right ? (
					<Box
						flexDirection="column"
						width={box.labWidth}
						height={box.labHeight}
						marginLeft={box.gap}
						flexShrink={0}
						// Only the error is clipped: every other part keeps to its rows and columns (a clip costs Ink a cut of every row it holds, on every frame).
						{...(problem ? {overflow: 'hidden'} : {})}
					>
						{rule ? <Text dimColor>{'─'.repeat(box.labWidth)}</Text> : null}
						{right}
					</Box>
				) : null}
			</Box>
			{footer ?? <KeyHints hints={hints} width={box.columns} />}
		</Box>
	);
}
