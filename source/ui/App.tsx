import {Box, Text, useApp} from 'ink';
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import type {LabEvent} from '../lab/shared/events.js';
import type {Lab, LabOptions} from '../lab/host/lab-types.js';
import {foldRun} from '../lab/model/run-state.js';
import {factsOf} from '../lessons/facts.js';
import {choiceLetter} from '../lessons/parse.js';
import {answerOf, currentLesson, currentStep, promptStatus} from '../lessons/step-engine.js';
import type {Course, Facts} from '../lessons/types.js';
import {Help} from './Help.js';
import {KeyHints, type KeyHint} from './KeyHints.js';
import {columnsOf} from './lab/format.js';
import {LabPane} from './lab/LabPane.js';
import {LabUnavailable} from './lab/LabUnavailable.js';
import {colorsEnabled} from './lab/theme.js';
import {layout} from './layout.js';
import {LessonMenu} from './LessonMenu.js';
import {type LabStatus, lessonScreen} from './lesson/lesson-screen.js';
import {LessonPane} from './lesson/LessonPane.js';
import {TooSmall} from './TooSmall.js';
import type {TutorialState} from './tutorial-state.js';
import {useHeld} from './use-held.js';
import {useLab} from './use-lab.js';
import {useLabRunner} from './use-lab-runner.js';
import {useTerminalSize} from './use-terminal-size.js';
import {useTutorial} from './use-tutorial.js';
import {useTutorialInput} from './use-tutorial-input.js';

export type AppProps = {
	course: Course;
	/** Makes a lab run (runTutorial passes one wrapping createLab; tests pass a double). */
	startLab: (options: LabOptions) => Lab;
	labOptions: LabOptions;
	/** The lesson to start at, 0-based. */
	startLesson?: number;
	/** host.* sysctls and lab.preset, for the lessons' placeholders. */
	hostFacts?: Facts;
	/** Called with the exit code once the lab has stopped, right before the app exits. */
	onExit?: (code: number) => void;
	/** Colour on or off; default: on unless NO_COLOR is set. */
	color?: boolean;
};

const noFacts: Facts = {};

/** The last frame's words; a shorter form where the terminal is narrower. */
const stoppedWords = 'Stopped: nothing of the lab is left running.';

const promptWords = {'drop-on': 'drop', 'drop-off': 'allow', restart: 'restart'} as const;

function hintsFor(state: TutorialState, lab: LabStatus, scrolls: boolean): KeyHint[] {
	const count = state.engine.lessons.length;
	if (state.overlay === 'help') {
		return [
			{key: 'any key', label: 'close', priority: 5},
			{key: 'q', label: 'quit', priority: 5},
		];
	}

	if (state.overlay === 'menu') {
		return [
			{key: '↑↓', label: 'choose', priority: 4},
			{key: 'enter', label: 'open', priority: 4},
			{key: `1–${count}`, label: 'lesson', priority: 2},
			{key: 'esc', label: 'close', priority: 3},
			{key: 'q', label: 'quit', priority: 5},
		];
	}

	const hints: KeyHint[] = [];
	const step = currentStep(state.engine);
	const unavailable = step.kind === 'prompt' && step.action !== 'restart' && state.engine.run.firewallProblem !== null;
	if (step.kind === 'prompt' && promptStatus(state.engine) === 'waiting-for-key' && !unavailable) {
		hints.push({key: step.key, label: promptWords[step.action], priority: 6, highlight: true});
	}

	if (step.kind === 'question' && answerOf(state.engine) === undefined) {
		hints.push({key: `a–${choiceLetter(step.choices.length - 1)}`, label: 'answer', priority: 6, highlight: true});
	}

	hints.push({key: '→', label: 'next', priority: 5}, {key: '←', label: 'back', priority: 3});
	if (scrolls) hints.push({key: '↑↓', label: 'scroll', priority: 4});
	hints.push({key: 'n/p', label: 'lesson', priority: 2}, {key: 'm', label: 'menu', priority: 2});
	if (lab !== 'none') hints.push({key: 'r', label: lab === 'unavailable' ? 'try the lab again' : 'restart lab', priority: 1});
	hints.push({key: '?', label: 'help', priority: 3}, {key: 'q', label: 'quit', priority: 5});
	return hints;
}

/**
 * The tutorial: the lesson on the left, the live lab on the right (or under it in a narrow
 * terminal), key hints at the bottom. The lab comes from `startLab`; this component only
 * decides when a run starts and stops, and shows what it reports.
 */
export function App({course, startLab, labOptions, startLesson = 0, hostFacts = noFacts, onExit, color = colorsEnabled()}: AppProps) {
	const {exit} = useApp();
	const size = useTerminalSize();
	const {state, dispatch} = useTutorial(course, startLesson);
	const {engine} = state;
	const lesson = currentLesson(engine);

	const onReset = useCallback(() => dispatch({type: 'lab-reset'}), [dispatch]);
	const runner = useLabRunner({startLab, options: labOptions, wanted: lesson.lab, lesson: engine.lesson, onReset});
	const {observe} = runner;
	const onEvent = useCallback(
		(event: LabEvent) => {
			observe(event);
			dispatch({type: 'lab-event', event});
		},
		[observe, dispatch],
	);
	const {view, readings} = useLab(runner.lab, labOptions, onEvent);

	// The step engine asks for a lab action; perform it once, then confirm it.
	const performed = useRef(new Set<number>());
	const {restart, setDrop} = runner;
	useEffect(() => {
		const pending = engine.pendingAction;
		if (!pending || performed.current.has(pending.id)) return;
		performed.current.add(pending.id);
		const done = pending.action === 'restart' ? restart() : setDrop(pending.action === 'drop-on');
		done.then(
			() => dispatch({type: 'action-taken', id: pending.id}),
			(error: unknown) => {
				dispatch({type: 'action-taken', id: pending.id});
				dispatch({type: 'notice', text: `The lab could not do that: ${error instanceof Error ? error.message : String(error)}.`});
			},
		);
	}, [engine.pendingAction, restart, setDrop, dispatch]);

	// Keys ask for quitting or a new run through the reducer; each request is carried out once.
	const {stop} = runner;
	const handled = useRef(0);
	const {request} = state;
	const [exitCode, setExitCode] = useState<number | null>(null);
	useEffect(() => {
		if (!request || request.id <= handled.current) return;
		handled.current = request.id;
		if (request.type === 'restart-lab') {
			void restart();
			return;
		}

		void stop().finally(() => {
			setExitCode(request.code);
		});
	}, [request, restart, stop]);

	// Exits once the frame that says the lab has stopped is drawn.
	useEffect(() => {
		if (exitCode === null) return;
		onExit?.(exitCode);
		exit();
	}, [exitCode, onExit, exit]);

	// The facts of this run, with the kernel's newest readings (polled between events) on top.
	const facts = useMemo(() => {
		let run = engine.run;
		for (const reading of readings) run = foldRun(run, {t: run.lastT ?? 0, type: 'kernel', ...reading});
		return {...hostFacts, ...factsOf(run)};
	}, [engine.run, readings, hostFacts]);

	const labStatus: LabStatus = !lesson.lab
		? 'none'
		: runner.status === 'unavailable'
			? 'unavailable'
			: runner.status === 'ended'
				? 'ended'
				: view.ready
					? 'running'
					: 'starting';

	const box = layout(size.columns, size.rows, lesson.lab);
	const screenInput = {engine, facts, lab: labStatus, notice: state.notice, width: box.lessonWidth, height: box.lessonHeight};
	const screen = lessonScreen(screenInput);
	useTutorialInput({dispatch, maxScroll: screen.maxScroll, page: Math.max(1, screen.textRows - 2)});

	// Quitting, the runner lets go of the run before stopping it: the last frames keep the run as it was.
	const last = useHeld({view, readings}, state.quitting);
	const shownView = exitCode === null ? last.view : {...last.view, stopped: true};
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
			<Help lessonCount={engine.lessons.length} width={box.lessonWidth} height={leftHeight} color={color} />
		) : state.overlay === 'menu' ? (
			<LessonMenu engine={engine} selected={state.menu} width={box.lessonWidth} height={leftHeight} color={color} />
		) : (
			<LessonPane {...screenInput} scroll={state.scroll} color={color} />
		);

	// Stacked, a rule keeps the lab apart from the lesson above it.
	const rule = box.stacked ? 1 : 0;
	const right = !lesson.lab || (overlay && box.stacked) ? null : runner.problem ? (
		// Cut at the pane's bottom rather than squeezed into it (squeezed rows overlap).
		<Box flexShrink={0}>
			<LabUnavailable error={runner.problem} width={box.labWidth} color={color} />
		</Box>
	) : (
		<LabPane
			view={shownView}
			readings={last.readings}
			params={labOptions}
			width={box.labWidth}
			height={box.labHeight - rule}
			color={color}
		/>
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
			{footer ?? <KeyHints hints={hintsFor(state, labStatus, screen.maxScroll > 0)} width={box.columns} color={color} />}
		</Box>
	);
}
