import {cleanup} from 'ink-testing-library';
import stringWidth from 'string-width';
import {afterEach, describe, expect, it} from 'vitest';
import {defaultLessonsDir} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import {App} from '../../source/ui/App.js';
import {Help} from '../../source/ui/Help.js';
import {LabPane} from '../../source/ui/lab/LabPane.js';
import {reduceLabEvents} from '../../source/ui/lab/lab-view.js';
import {layout, minColumns, minRows} from '../../source/ui/layout.js';
import {LessonMenu} from '../../source/ui/LessonMenu.js';
import {initialState} from '../../source/lessons/step-engine.js';
import {loadEvents} from '../helpers/events.js';
import {fakeLabFactory} from '../helpers/fake-lab.js';
import {renderThemed, resize, rows, typeKeys} from '../helpers/ink.js';
import {plain, waitFor} from '../helpers/wait-for.js';

const course = loadCourse(defaultLessonsDir());
/** Recorded from the real lab (test/fixtures/events/README.md). */
const run = loadEvents('fast-drop');
/** What the fake lab sends on start: everything before the drop. */
const beforeDrop = run.slice(0, run.findIndex(event => event.type === 'firewall'));
const params = {idle: 2, intvl: 1, probes: 3};
/** "Cut the wire": its second step asks for d. */
const cut = course.lessons.findIndex(lesson => lesson.id === 'cut-the-wire');
const right = '\u001B[C';


function renderApp(width: number, height: number, onExit?: (code: number) => void) {
	const factory = fakeLabFactory(run);
	const result = renderThemed(<App course={course} startLab={factory.startLab} labOptions={params} start={{lesson: cut}} {...(onExit ? {onExit} : {})} />);
	resize(result.stdout, width, height);
	const frame = () => plain(result.lastFrame());
	const press = async (key: string) => typeKeys(result.stdin, key);

	return {...result, factory, frame, press};
}

/** Columns [from, to) of a row, as the terminal shows them (Ink leaves no trailing spaces). */
const slice = (row: string, from: number, to: number) => [...row].slice(from, to).join('').trimEnd();
/** A region of the frame: rows [top, bottom), columns [from, to). */
const region = (frame: string, top: number, bottom: number, from: number, to: number) =>
	rows(frame)
		.slice(top, bottom)
		.map(row => slice(row, from, to));
const trimmed = (frame: string | undefined) => rows(plain(frame)).map(row => row.trimEnd());

function expectFits(frame: string, width: number, height: number) {
	const lines = rows(frame);
	// One row is left for Ink, so that the terminal never scrolls.
	expect(lines.length).toBeLessThanOrEqual(height - 1);
	for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(width);
}

afterEach(() => {
	cleanup();
});

describe('App at every terminal size', () => {
	const sizes: Array<[number, number]> = [
		[50, 15],
		[minColumns, minRows],
		[60, 20],
		[80, 24],
		[100, 30],
		[160, 50],
	];

	it.each(sizes)('at %i × %i shows the title, the prompt and its key, and the lab, nothing overlapping', async (width, height) => {
		const app = renderApp(width, height);
		await app.press(right);
		// The run's last event before the drop: its packets, countdowns and counters are all in.
		const box = layout(width, height, true);
		// The lab pane's rows, once every event before the drop is in, are exactly those of the
		// pane drawn alone: nothing squeezed on top of another.
		const labRows = box.labHeight - (box.stacked ? 1 : 0);
		const alone = trimmed(
			renderThemed(<LabPane view={reduceLabEvents(beforeDrop)} params={params} width={box.labWidth} height={labRows} />).lastFrame(),
		);
		const top = box.stacked ? box.lessonHeight + 1 : 0;
		const from = box.stacked ? 0 : box.lessonWidth + box.gap;
		await waitFor(() => expect(region(app.frame(), top, top + labRows, from, width)).toEqual([...alone, ...Array.from({length: labRows - alone.length}, () => '')]));
		// At least the kernel's countdowns.
		expect(alone.join('\n')).toMatch(/probes \[---\] 0\/3/);

		const frame = app.frame();
		expectFits(frame, width, height);
		const lesson = region(frame, 0, box.lessonHeight, 0, box.lessonWidth);
		expect(lesson[0]).toBe('Cut the wire');
		expect(lesson[1]).toMatch(/^Lesson 6\/13 · step 2\/8/);
		const words = lesson.join(' ').replaceAll(/\s+/g, ' ');
		expect(words).toContain("Drop the client's packets Press d to add that rule, inside the lab's own");
		expect(words).toContain('▶ Press d to drop');
		expect(rows(frame).at(-1)).toMatch(/^d drop {2}→ next .*q quit$/);
	});

	it.each(sizes)('at %i × %i shows the help whole and the menu with the lesson in view, in place of the lesson', async (width, height) => {
		const app = renderApp(width, height);
		await waitFor(() => expect(app.frame()).toContain('Cut the wire'));
		const box = layout(width, height, true);
		const overlayRows = box.paneRows;
		await app.press('?');
		await waitFor(() => expect(app.frame()).toContain('Keys'));
		const help = trimmed(renderThemed(<Help lessonCount={course.lessons.length} width={box.lessonWidth} height={overlayRows} />).lastFrame());
		// Every key is there, and each row of the overlay is a whole row of the help, nothing of the lesson showing through.
		for (const key of ['next step', 'go to that lesson', 'the key a step asks for', 'restart the lab', 'q Ctrl-C']) expect(help.join('\n')).toContain(key);
		expect(region(app.frame(), 0, help.length, 0, box.lessonWidth)).toEqual(help);
		expect(region(app.frame(), help.length, overlayRows, 0, box.lessonWidth).every(row => row === '')).toBe(true);
		expectFits(app.frame(), width, height);

		await app.press('x');
		await app.press('m');
		await waitFor(() => expect(app.frame()).toContain('Lessons'));
		const engine = initialState(course, {lesson: cut});
		const menu = trimmed(
			renderThemed(<LessonMenu engine={engine} selected={cut} width={box.lessonWidth} height={overlayRows} exercises={course.exercises} />).lastFrame(),
		);
		// The selected lesson is in view, and the overlay is the menu, row for row.
		expect(menu.join('\n')).toContain(course.lessons[cut]!.title);
		expect(region(app.frame(), 0, menu.length, 0, box.lessonWidth)).toEqual(menu);
		expectFits(app.frame(), width, height);
	});

	it('says in one line how big the terminal must be, and redraws once it is', async () => {
		const app = renderApp(40, 12);
		const message = `ka-tutorial needs at least ${minColumns}×${minRows}; this terminal is 40×12 — make it bigger (q quits).`;
		await waitFor(() => expect(rows(app.frame()).join(' ')).toBe(message));
		expectFits(app.frame(), 40, 12);
		resize(app.stdout, 80, 24);
		await waitFor(() => expect(rows(app.frame())[0]).toMatch(/^Cut the wire +lab userns/));
		expectFits(app.frame(), 80, 24);
		resize(app.stdout, minColumns - 1, 30);
		await waitFor(() => expect(rows(app.frame()).join(' ')).toContain(`this terminal is ${minColumns - 1}×30`));
	});

	/** The frame left on screen once `q` has stopped the lab and the app has exited (0), pressed once `shown` is drawn. */
	async function lastFrameAfterQuit(columns: number, height: number, shown: string): Promise<string> {
		const exits: number[] = [];
		const app = renderApp(columns, height, code => exits.push(code));
		await waitFor(() => expect(app.frame()).toContain(shown));
		await app.press('q');
		await waitFor(() => expect(exits).toEqual([0]));
		return app.frame();
	}

	it('keeps the last lab state in the last frame after q, saying the lab stopped', async () => {
		const frame = await lastFrameAfterQuit(80, 24, 'probes sent 1');
		expect(rows(frame).at(-1)).toBe('Stopped: nothing of the lab is left running.');
		expect(frame).toMatch(/lab userns {2}iptables {2}port 6699 {2}stopped/);
		expect(frame).toContain('probes sent 1  answered 1');
		expect(frame).toMatch(/\* 2\.026 C→S Keep-Alive ACK/);
		expect(frame).not.toContain('waiting for the lab');
	});

	it('says whole that the lab stopped, in a narrow terminal too', async () => {
		expect(await lastFrameAfterQuit(40, 12, 'make it bigger')).toBe('Lab stopped; nothing left running.');
	});
});
