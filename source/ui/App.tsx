import {Box, Text, useApp} from 'ink';
import {useEffect, useMemo} from 'react';
import type {Lab, LabOptions} from '../lab/host/lab-types.js';
import {factsOf} from '../lessons/facts.js';
import {currentLesson, type SavedProgress} from '../lessons/step-engine.js';
import type {Course, Facts} from '../lessons/types.js';
import {Help} from './Help.js';
import {hintsFor} from './keys/key-lookup.js';
import {KeyHints} from './KeyHints.js';
import {columnsOf} from './lab/format.js';
import {LabPane} from './lab/LabPane.js';
import {LabUnavailable} from './lab/LabUnavailable.js';
import {layout} from './layout.js';
import {LessonMenu} from './LessonMenu.js';
import {type LabStatus, lessonScreen} from './lesson/lesson-screen.js';
import {LessonPane} from './lesson/LessonPane.js';
import {TooSmall} from './TooSmall.js';
import {useCommands} from './use-commands.js';
import {useLabStore} from './use-lab-store.js';
import {useTerminalSize} from './use-terminal-size.js';
import {type ProgressSaver, useTutorial} from './use-tutorial.js';
import {useTutorialInput} from './use-tutorial-input.js';

export type AppProps = {
	course: Course;
	/** Makes a lab run (runTutorial passes one wrapping createLab; tests pass a double). */
	startLab: (options: LabOptions) => Lab;
	labOptions: LabOptions;
	/** Where to start: a 0-based lesson and step, and what was done before (saved progress); default the first step. */
	start?: Partial<SavedProgress>;
	/** Keeps the learner's progress between runs; none in tests that do not ask for it. */
	progress?: ProgressSaver;
	/** host.* sysctls and lab.preset, for the lessons' placeholders. */
	hostFacts?: Facts;
	/** Called with the exit code once the lab has stopped, right before the app exits. */
	onExit?: (code: number) => void;
};

const noFacts: Facts = {};

/** The last frame's words; a shorter form where the terminal is narrower. */
const stoppedWords = 'Stopped: nothing of the lab is left running.';

/**
 * The tutorial: the lesson on the left, the live lab on the right (or under it in a narrow
 * terminal), key hints at the bottom. The lab store runs the lab (through `startLab`); this
 * component tells it which lesson is shown, hands it the commands, and shows what it reports.
 */
export function App({course, startLab, labOptions, start, progress, hostFacts = noFacts, onExit}: AppProps) {
	const {exit} = useApp();
	const size = useTerminalSize();
	const {store: tutorial, state} = useTutorial(course, start, progress);
	const {dispatch} = tutorial;
	const {engine} = state;
	const lesson = currentLesson(engine);

	const {store: lab, snapshot} = useLabStore(startLab, labOptions);
	// Before the lab is first asked for: a run's reset and events must all reach the step engine.
	useEffect(() => lab.feed(dispatch), [lab, dispatch]);
	useEffect(() => {
		lab.enterLesson(lesson.lab);
	}, [lab, lesson.lab, engine.lesson]);
	useCommands(state.commands, lab, dispatch);

	// Exits once the frame that says the lab has stopped is drawn.
	const {exitCode} = state;
	useEffect(() => {
		if (exitCode === null) return;
		onExit?.(exitCode);
		exit();
	}, [exitCode, onExit, exit]);

	const {view, status, problem} = snapshot;
	const facts = useMemo(() => ({...hostFacts, ...factsOf(engine.run)}), [engine.run, hostFacts]);
	const labStatus: LabStatus = !lesson.lab
		? 'none'
		: status === 'unavailable'
			? 'unavailable'
			: status === 'ended'
				? 'ended'
				: view.ready
					? 'running'
					: 'starting';

	const box = layout(size.columns, size.rows, lesson.lab);
	const screenInput = {engine, facts, lab: labStatus, notice: state.notice, width: box.lessonWidth, height: box.lessonHeight};
	const screen = lessonScreen(screenInput);
	const shown = {maxScroll: screen.maxScroll, page: Math.max(1, screen.textRows - 2), lab: labStatus};
	useTutorialInput(tutorial, shown);

	const stopped = columnsOf(stoppedWords) <= size.columns ? stoppedWords : 'Lab stopped; nothing left running.';
	const footer = state.quitting ? <Text wrap="truncate-end">{exitCode === null ? 'Stopping the lab…' : stopped}</Text> : null;
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
			<Help lessonCount={engine.lessons.length} width={box.lessonWidth} height={leftHeight} />
		) : state.overlay === 'menu' ? (
			<LessonMenu engine={engine} selected={state.menu} width={box.lessonWidth} height={leftHeight} />
		) : (
			<LessonPane {...screenInput} scroll={state.scroll} />
		);

	// Stacked, a rule keeps the lab apart from the lesson above it.
	const rule = box.stacked ? 1 : 0;
	const right = !lesson.lab || (overlay && box.stacked) ? null : problem ? (
		// Cut at the pane's bottom rather than squeezed into it (squeezed rows overlap).
		<Box flexShrink={0}>
			<LabUnavailable error={problem} width={box.labWidth} />
		</Box>
	) : (
		<LabPane view={view} params={labOptions} width={box.labWidth} height={box.labHeight - rule} />
	);

	return (
		<Box flexDirection="column" width={box.columns} height={box.rows} overflow="hidden">
			<Box flexDirection={box.stacked ? 'column' : 'row'} height={box.paneRows} overflow="hidden">
				<Box width={box.lessonWidth} height={leftHeight} flexShrink={0} overflow="hidden">
					{left}
				</Box>
				{right ? (
					<Box flexDirection="column" width={box.labWidth} height={box.labHeight} marginLeft={box.gap} flexShrink={0} overflow="hidden">
						{rule ? <Text dimColor>{'─'.repeat(box.labWidth)}</Text> : null}
						{right}
					</Box>
				) : null}
			</Box>
			{footer ?? <KeyHints hints={hintsFor({...shown, state})} width={box.columns} />}
		</Box>
	);
}
