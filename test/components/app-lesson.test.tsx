import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {factsFromEvents} from '../../source/lessons/facts.js';
import {defaultLessonsDir} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import {type EngineAction, type EngineState, initialState, reduce} from '../../source/lessons/step-engine.js';
import type {Course, Facts} from '../../source/lessons/types.js';
import {type LabStatus, lessonScreen, screenInputOf} from '../../source/ui/lesson/lesson-screen.js';
import {ScrolledPane} from '../../source/ui/lesson/ScrolledPane.js';
import type {FirewallEvent, PacketEvent} from '../../source/lab/shared/events.js';
import {eventsUntil, loadEvents} from '../helpers/events.js';
import {anyColour, columns, renderThemed, rows, withChalkColours} from '../helpers/ink.js';
import {plain} from '../helpers/wait-for.js';

const course: Course = loadCourse(defaultLessonsDir());
/** Recorded from the real lab (test/fixtures/events/README.md). */
const run = loadEvents('fast-drop');
/** Where the drop went in: the first firewall event of the run. */
const dropAt = run.findIndex(event => event.type === 'firewall');
const lessonIndex = (id: string) => course.lessons.findIndex(lesson => lesson.id === id);

/** The engine at a step, after the given actions. */
function engineAt(id: string, step: number, ...actions: EngineAction[]): EngineState {
	let state = initialState(course, {lesson: lessonIndex(id), step});
	for (const action of actions) state = reduce(state, action);
	return state;
}

const feed = (events = run): EngineAction[] => events.map(event => ({type: 'lab-event', event}));

type PaneOptions = {engine: EngineState; facts?: Facts; lab?: LabStatus; notice?: string | null; width?: number; height?: number; scroll?: number};
/** The lesson pane as the app draws it. */
const LessonPane = ({engine, facts = {}, lab = 'running', notice = null, width = 39, height = 22, scroll = 0}: PaneOptions) => (
	<ScrolledPane screen={lessonScreen({...screenInputOf(engine, facts), lab, notice, width, height})} scroll={scroll} width={Math.max(10, width)} height={height} />
);
const show = (options: PaneOptions) => plain(renderThemed(<LessonPane {...options} />).lastFrame());

const joined = (frame: string) => rows(frame).join(' ').replaceAll(/\s+/g, ' ');

afterEach(() => {
	cleanup();
});

describe('LessonPane', () => {
	it('shows the title, the progress, the step and what to do next', () => {
		const frame = show({engine: engineAt('why-keepalive', 0)});
		const lines = rows(frame);
		expect(lines[0]).toBe('Why keepalive exists');
		expect(lines[1]).toBe('Lesson 1/13 · step 1/7 ◉○○○○○○');
		expect(lines[3]).toBe('A quiet connection');
		expect(frame).toContain('→ Press → for the next step.');
		for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(39);
	});

	it('renders the Markdown without its marks', () => {
		const frame = show({engine: engineAt('knobs', 0)});
		expect(frame).toContain('• tcp_keepalive_time: seconds of');
		expect(frame).not.toContain('`');
		expect(frame).not.toContain('- tcp_keepalive');
	});

	it('fills placeholders with the facts, and shows … for those not known yet', () => {
		const engine = engineAt('cut-the-wire', 2, ...feed());
		const facts = factsFromEvents(run);
		const frame = joined(show({engine, facts}));
		// The drop as recorded (the first firewall event, 2.081 s), and the last answer before it (2.026 s).
		const drop = run[dropAt] as FirewallEvent;
		const answer = run.slice(0, dropAt).filter((e): e is PacketEvent => e.type === 'packet' && e.kind === 'keepalive-ack').at(-1)!;
		const at = (seconds: number) => (answer.t + seconds).toFixed(3);
		expect(frame).toContain(`The lab ran, at t = ${drop.t.toFixed(3)} s: ${drop.command}`);
		// From the last answer the server got: idle (2 s), then every intvl (1 s).
		expect(frame).toContain(`predicts the probes at ${at(2)}, ${at(3)}, ${at(4)} s and the RST at ${at(5)} s`);
		expect(joined(show({engine: engineAt('cut-the-wire', 2)}))).toContain('The lab ran, at t = … s');
	});

	it('waits with progress, the kernel\'s timer, and a ✓ once seen', () => {
		const facts = {'kernel.server.timer': 'keepalive', 'kernel.server.dueIn': '1.42'};
		const waiting = joined(show({engine: engineAt('live', 3, ...feed(eventsUntil(run, e => e.type === 'packet' && e.kind === 'keepalive-ack'))), facts}));
		expect(waiting).toContain('… Waiting for 2 keepalive ACKs from the client (1/2).');
		expect(waiting).toContain("Server's keepalive timer (kernel): due in 1.42 s");
		const seen = joined(show({engine: engineAt('live', 3, ...feed())}));
		expect(seen).toContain('✓ Done: waited for 2 keepalive ACKs from the client. Press → to go on.');
	});

	it('tells the learner what to do when the lab cannot help', () => {
		const engine = engineAt('cut-the-wire', 1);
		expect(joined(show({engine, lab: 'unavailable'}))).toContain('This step needs the live lab, which cannot run here. Press n for the next lesson.');
		expect(joined(show({engine, lab: 'starting'}))).toContain('▶ Press d to drop the client\'s packets (the firewall rule goes in). The lab is starting.');
		const ended = engineAt('cut-the-wire', 3);
		expect(joined(show({engine: ended, lab: 'ended'}))).toContain('This lab run has ended. Press r to start a new one.');
	});

	it('shows the prompt\'s states: the key, waiting for the lab, done', () => {
		let engine = engineAt('cut-the-wire', 1, ...feed(run.slice(0, dropAt)));
		expect(joined(show({engine}))).toContain("▶ Press d to drop the client's packets");
		engine = reduce(engine, {type: 'key', key: 'd'});
		expect(joined(show({engine}))).toContain('… Waiting for the lab to confirm.');
		engine = reduce(engine, {type: 'lab-event', event: run[dropAt]!});
		expect(joined(show({engine}))).toContain('✓ Done: the drop is in force. Press → to go on.');
	});

	it('shows a question\'s choices, then the answer and the explanation', () => {
		const question = engineAt('knobs', 6);
		const before = joined(show({engine: question}));
		expect(before).toContain('a) T + 55 b) T + 61 c) T + 67 d) T + 73');
		expect(before).toContain('▶ Press a–d to answer.');
		const right = joined(show({engine: reduce(question, {type: 'key', key: 'c'})}));
		expect(right).toContain('✓ c) T + 67');
		expect(right).toContain('✓ Right.');
		expect(right).toContain('One intvl after the last one, at T + 55 + 2 × 6 = T + 67');
		const wrong = joined(show({engine: reduce(question, {type: 'key', key: 'a'})}));
		expect(wrong).toContain('✗ a) T + 55');
		expect(wrong).toContain('✗ Not quite: the answer is c).');
	});

	it('shows the engine\'s notice when next was refused, and the app\'s own', () => {
		const refused = reduce(engineAt('cut-the-wire', 1), {type: 'next'});
		expect(joined(show({engine: refused}))).toContain('! Press d first.');
		expect(joined(show({engine: engineAt('why-keepalive', 0), notice: 'This is the first lesson.'}))).toContain('! This is the first lesson.');
	});

	it('scrolls a step longer than the pane, keeping the action in view', () => {
		const engine = engineAt('where-to-set', 3);
		const input = {engine, facts: {}, lab: 'running' as const, width: 39, height: 14};
		const screen = lessonScreen({...screenInputOf(engine, {}), lab: 'running', width: 39, height: 14});
		expect(screen.maxScroll).toBeGreaterThan(0);
		const top = show({...input, scroll: 0});
		expect(rows(top)).toHaveLength(14);
		expect(top).toContain('↓ more below (↑/↓ scroll)');
		expect(top).toContain('Per socket, in C');
		expect(top).toContain('→ Press → for the next step.');
		const bottom = show({...input, scroll: 99});
		expect(bottom).not.toContain('Per socket, in C');
		expect(bottom).toContain('override the sysctls for this socket.');
		expect(bottom).toContain('↑ more above');
		expect(bottom).toContain('→ Press → for the next step.');
	});

	it('says so at the end of the course', () => {
		const last = course.lessons.at(-1)!;
		const step = last.steps.at(-1)!;
		const answer = step.kind === 'question' ? [{type: 'answer', choice: step.answer} as const] : [];
		let engine = engineAt(last.id, last.steps.length - 1, ...answer);
		engine = reduce(engine, {type: 'next'});
		expect(engine.finished).toBe(true);
		expect(joined(show({engine}))).toContain('✓ You have finished the course. Press m for the lessons, or q to quit.');
	});

	it('shows what to install where the drop key would be, in a lab without a firewall tool', () => {
		const problem = {message: 'neither iptables nor nft is installed.', fix: 'Install iptables (apt-get install iptables).'};
		const ready: EngineAction = {type: 'lab-event', event: {t: 0, type: 'lab', event: 'ready', sandbox: 'netns', port: 6699, firewall: 'none', firewallProblem: problem}};
		const frame = joined(show({engine: engineAt('cut-the-wire', 1, ready)}));
		expect(frame).toContain('! The drop is not available here: neither iptables nor nft is installed.');
		expect(frame).toContain('Install iptables (apt-get install iptables). Then press r.');
		expect(frame).not.toContain('▶ Press d');
	});

	describe('in colour', () => {
		withChalkColours();

		it('colours code, facts and the title, and nothing with NO_COLOR', () => {
			const engine = engineAt('cut-the-wire', 1, ...feed());
			const props = {engine, facts: factsFromEvents(run), lab: 'running' as const, notice: null, width: 39, height: 22};
			expect(renderThemed(<LessonPane {...props} />, true).lastFrame()).toMatch(anyColour);
			expect(renderThemed(<LessonPane {...props} />).lastFrame()).not.toMatch(anyColour);
		});
	});
});
