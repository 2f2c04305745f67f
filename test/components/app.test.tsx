import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {LabStartError} from '../../source/lab/host/lab-types.js';
import {defaultLessonsDir} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import type {Facts} from '../../source/lessons/types.js';
import {App} from '../../source/ui/App.js';
import {layout} from '../../source/ui/layout.js';
import {en} from '../../source/ui/messages/messages.js';
import {MessagesProvider} from '../../source/ui/messages/messages-context.js';
import {ThemeProvider} from '../../source/ui/theme.js';
import type {FirewallEvent, LabEvent, PacketEvent, SocketEvent} from '../../source/lab/shared/events.js';
import {eventsUntil, findEvent, loadEvents} from '../helpers/events.js';
import {type FakeLabFactory, fakeLabFactory} from '../helpers/fake-lab.js';
import {anyColour, columns, renderThemed, resize, rows, typeKeys, withChalkColours} from '../helpers/ink.js';
import {plain, waitFor} from '../helpers/wait-for.js';

const course = loadCourse(defaultLessonsDir());
/** Recorded from the real lab (test/fixtures/events/README.md). */
const run = loadEvents('fast-drop');
/** The values of the recorded run. */
const params = {idle: 2, intvl: 1, probes: 3};
/** What the recording itself determines, as the lessons quote it (a re-recording changes every one). */
const recorded = (() => {
	const dropAt = run.findIndex(event => event.type === 'firewall');
	const isPacket = (kind: PacketEvent['kind']) => (event: LabEvent): event is PacketEvent => event.type === 'packet' && event.kind === kind;
	const lastAnswer = run.slice(0, dropAt).filter(isPacket('keepalive-ack')).at(-1)!;
	const t = (seconds: number) => seconds.toFixed(3);
	return {
		clientPort: findEvent(run, (event): event is SocketEvent => event.type === 'socket' && event.side === 'client' && event.event === 'connected').localPort,
		dropCommand: (run[dropAt] as FirewallEvent).command,
		/** When the server last heard the client before the drop. */
		heardAt: t(lastAnswer.t),
		/** The probes after the drop, as the lesson lists them. */
		probesAfterDrop: run.slice(dropAt).filter(isPacket('keepalive')).map(probe => t(probe.t)).join(', '),
		rstAt: t(findEvent(run, isPacket('rst')).t),
		/** The model's RST: idle after the last answer, then one intvl per probe. */
		expectedRstAt: t(lastAnswer.t + params.idle + params.probes * params.intvl),
		clientErrorAt: t(findEvent(run, (event): event is SocketEvent => event.type === 'socket' && event.side === 'client' && event.event === 'error').t),
	};
})();

export const keys = {
	right: '\u001B[C',
	left: '\u001B[D',
	up: '\u001B[A',
	down: '\u001B[B',
	enter: '\r',
	escape: '\u001B',
	ctrlC: '\u0003',
} as const;


type Options = {
	lesson?: number;
	factory?: FakeLabFactory;
	width?: number;
	height?: number;
	hostFacts?: Facts;
	onExit?: (code: number) => void;
};

function renderApp({lesson = 0, factory = fakeLabFactory(run), width = 80, height = 24, hostFacts, onExit}: Options = {}) {
	const result = renderThemed(
		<App
			course={course}
			startLab={factory.startLab}
			labOptions={params}
			start={{lesson: lesson}}
			{...(hostFacts ? {hostFacts} : {})}
			{...(onExit ? {onExit} : {})}
		/>,
	);
	resize(result.stdout, width, height);
	const frame = () => plain(result.lastFrame());
	const press = async (...sequence: string[]) => typeKeys(result.stdin, ...sequence);

	const see = async (...texts: string[]) => {
		await waitFor(() => {
			for (const text of texts) expect(frame()).toContain(text);
		});
	};

	// The panes' text with the wrapping undone, to look for sentences across lines.
	const box = () => layout(width, height, course.lessons[lesson]!.lab);
	const lessonText = () => flat(frame(), 0, box().lessonWidth);
	const labText = () => flat(frame(), box().lessonWidth + box().gap, width);
	const seeLesson = async (...texts: string[]) => {
		await waitFor(() => {
			for (const text of texts) expect(lessonText()).toContain(text);
		});
	};

	const seeLab = async (...texts: string[]) => {
		await waitFor(() => {
			for (const text of texts) expect(labText()).toContain(text);
		});
	};

	return {...result, factory, frame, press, see, lessonText, seeLesson, seeLab};
}

/** Columns [from, to) of every row, borders dropped, joined into one line of single spaces. */
function flat(frame: string, from: number, to: number): string {
	return rows(frame)
		.map(row => [...row].slice(from, to).join(''))
		.join(' ')
		.replaceAll(/[│╭╮╰╯─]/g, ' ')
		.replaceAll(/\s+/g, ' ');
}

afterEach(() => {
	cleanup();
	delete process.env['NO_COLOR'];
});

describe('App: the lesson pane and navigation', () => {
	it('shows the lesson title, progress, the step text and the key hints', async () => {
		const app = renderApp();
		await app.see('Why keepalive exists', 'Lesson 1/13 · step 1/7', 'A quiet connection', 'A TCP connection can sit idle for hours');
		expect(app.frame()).toMatch(/→ next .*q quit/);
		// No lab in a lesson without one.
		expect(app.factory.runs).toHaveLength(0);
	});

	it('moves with →, space and enter, and back with ←', async () => {
		const app = renderApp();
		await app.see('step 1/7');
		await app.press(keys.right);
		await app.see('step 2/7', 'The peer that vanished');
		await app.press(' ');
		await app.see('step 3/7', 'A middlebox that forgot');
		await app.press(keys.enter);
		await app.see('step 4/7', 'Why it hurts');
		await app.press(keys.left, keys.left);
		await app.see('step 2/7', 'The peer that vanished');
	});

	it('refuses to move on from an unanswered question, then shows the answer and the explanation', async () => {
		const app = renderApp();
		await app.press(...Array.from({length: 6}, () => keys.right));
		await app.see('Check: who finds out?', 'a) Within a minute', 'b) Only when it next sends something', 'Press a–c to answer');
		await app.press(keys.right);
		await app.see('Answer first: press a–c.', 'step 7/7');
		await app.press('a');
		await app.see('✗ a) Within a minute', '✓ b) Only when it next', 'Not quite: the answer is b).', 'With no keepalive, an idle TCP sends');
		expect(app.frame()).not.toContain('Answer first');
		// The first answer counts.
		await app.press('b');
		await app.see('Already answered');
	});

	it('goes to other lessons with n and p, the number keys and the menu', async () => {
		const app = renderApp();
		await app.press('n');
		await app.see('The three knobs', 'Lesson 2/13 · step 1/7');
		await app.press('p');
		await app.see('Why keepalive exists', 'Lesson 1/13');
		await app.press('p');
		await app.see('This is the first lesson.');
		await app.press('9');
		await app.see('Lesson 9/13');
		// After the last lesson come the exercises; p from the first one says so, m goes back.
		for (let lesson = 10; lesson <= 13; lesson++) {
			await app.press('n');
			await app.see(`Lesson ${lesson}/13`);
		}

		await app.press('n');
		await app.see('Notice a vanished client', 'Exercise 1/6');
		await app.press('p');
		await app.see('This is the first exercise.');
		await app.press('m');
		await app.see('Lessons', 'Exercises', '▸ 1   Notice a vanished client');
		await app.press(keys.up, keys.enter);
		await app.see('Lesson 13/13');
		await app.press('7');
		await app.see('Summary and quiz', 'Lesson 7/13');

		await app.press('m');
		await app.see('Lessons', '▸  7', '1   Why keepalive exists', 'enter open');
		await app.press(keys.up, keys.up, keys.up);
		await app.see('▸  4');
		await app.press(keys.down);
		await app.see('▸  5');
		await app.press(keys.escape);
		await app.see('Summary and quiz', 'Lesson 7/13');
		await app.press('m', keys.up, keys.enter);
		await app.see('Cut the wire', 'Lesson 6/13 · step 1/8');
		await app.press('m', '2');
		await app.see('The three knobs', 'Lesson 2/13');
	});

	it('opens the help with ? and closes it with any key', async () => {
		const app = renderApp();
		await app.press('?');
		await app.see('Keys', 'next / previous lesson', 'restart the lab', 'quit (the lab stops first)', 'Press any key to close.');
		await app.press('x');
		await app.see('A quiet connection');
		expect(app.frame()).not.toContain('Press any key to close.');
	});

	it('starts at --lesson and keeps every key the step asks for first', async () => {
		const app = renderApp({lesson: 6});
		await app.see('Summary and quiz', 'Lesson 7/13 · step 1/6');
		await app.press(keys.right, keys.right);
		await app.see('Quiz: a slow interval', 'd) Only once');
		// d answers the question here; it is not a global key.
		await app.press('d');
		await app.see('✓ b) Every 4 s', '✗ d) Only once');
	});
});

describe('App: the live lab', () => {
	it('keeps one lab across consecutive lab lessons, stops it for a lesson without one, and starts a fresh one on return', async () => {
		const app = renderApp({lesson: 2});
		await app.see('Where the knobs are set', 'lab userns  iptables  port 6699');
		expect(app.factory.runs).toHaveLength(1);
		await app.press('n', 'n');
		await app.see('Watching keepalive live');
		expect(app.factory.runs).toHaveLength(1);
		await app.press('n', 'n');
		await app.see('Summary and quiz');
		await waitFor(() => expect(app.factory.runs[0]!.calls.stop).toBe(1));
		expect(app.frame()).not.toContain('port 6699');
		await app.press('p');
		await app.see('Cut the wire', 'port 6699');
		expect(app.factory.runs).toHaveLength(2);
	});

	it('starts a fresh run when a lab lesson is entered after the last one ended', async () => {
		const app = renderApp({lesson: 5});
		await app.see('port 6699');
		const first = app.factory.last()!;
		await waitFor(() => expect(first.listeners.size).toBeGreaterThan(0));
		first.drop();
		first.finish();
		await app.see('RST 1');
		await app.press('p');
		await app.see('Watching keepalive live');
		await waitFor(() => expect(app.factory.runs).toHaveLength(2));
		expect(first.calls.stop).toBe(1);
		await app.see('RST 0');
	});

	it('restarts the lab with r: the old run stops, and the facts start again', async () => {
		const app = renderApp({lesson: 5});
		await app.press(keys.right);
		await app.see(`The client's port here: ${recorded.clientPort}`);
		const first = app.factory.last()!;
		await app.press('r');
		await waitFor(() => expect(app.factory.runs).toHaveLength(2));
		expect(first.calls.stop).toBe(1);
		await app.see(`The client's port here: ${recorded.clientPort}`, 'port 6699');
		await app.press('1', 'r');
		await app.see('This lesson has no lab');
	});

	it('drops on d: setDrop(true), and the step is done once the firewall event arrives', async () => {
		const factory = fakeLabFactory(run, {holdDrop: true});
		const app = renderApp({lesson: 5, factory});
		await app.see('port 6699');
		await app.press(keys.right);
		await app.see('Drop the client\'s packets', '▶ Press d to drop the client\'s packets', 'd drop');
		await app.press(keys.right);
		await app.see('Press d first.');
		await app.press('d');
		const lab = factory.last()!;
		await waitFor(() => expect(lab.calls.setDrop).toEqual([true]));
		await app.see('Waiting for the lab to confirm.');
		lab.drop();
		// Only the rule going in (dropped 0); its later counts come with the rest of the run.
		await app.see('✓ Done: the drop is in force.', 'drop: iptables -A INPUT -p tcp --sport', 'probes sent 1  answered 1  dropped 0');
		await app.press(keys.right);
		await app.seeLesson('What ran', recorded.dropCommand, `The server last heard from the client at t = ${recorded.heardAt} s`);
	});

	it('shows the RST, ETIMEDOUT and ECONNRESET once the kernel gives up', async () => {
		const app = renderApp({lesson: 5});
		await app.see('port 6699');
		await app.press(keys.right, 'd');
		await app.see('✓ Done: the drop is in force.');
		await app.press(keys.right, keys.right);
		await app.seeLesson('Unanswered probes', 'Waiting for a keepalive probe from the server after the drop');
		app.factory.last()!.finish();
		await app.see('! 7.114 S→C RST', 'server ETIMEDOUT 7.119 s', 'client ECONNRESET 7.120 s', '✓ Done: waited for a keepalive probe');
		await app.seeLesson(`Probes since the drop: 3, at ${recorded.probesAfterDrop} s.`, 'Dropped by the rule so far: 3 packets.');
		await app.press(keys.right);
		await app.see('The reset', `real: t = ${recorded.rstAt} s`, `predicted: t = ${recorded.expectedRstAt} s`);
		await app.press(keys.right, keys.right);
		await app.seeLesson("The client's error", `The client got the RST: ECONNRESET at t = ${recorded.clientErrorAt} s`);
	});

	it('fills the placeholders from the run and from the host', async () => {
		const app = renderApp({lesson: 2, hostFacts: {'host.tcp_keepalive_time': '7200', 'host.tcp_keepalive_intvl': '75'}});
		await app.see('tcp_keepalive_time = 7200', 'tcp_keepalive_intvl = 75', 'tcp_keepalive_probes = …');
		await app.press('2', '4');
		await app.seeLesson('What a probe looks like', `The last segment the server got from the client, at t = ${recorded.heardAt} s: Keep-Alive ACK, seq 1, ack 1.`);
	});

	it('tells what a wait step waits for, with its progress', async () => {
		const factory = fakeLabFactory(eventsUntil(run, event => event.type === 'packet' && event.kind === 'keepalive-ack'));
		const app = renderApp({lesson: 4, factory});
		await app.press(keys.right, keys.right, keys.right);
		await app.seeLesson('Two answered probes', 'Waiting for 2 keepalive ACKs from the client (1/2).');
		await app.press(keys.right);
		await app.seeLesson('Waiting for 2 keepalive ACKs from the client (1/2).', 'step 4/7');
	});

	it('shows why the lab cannot run, with the fix, while the text lessons still work', async () => {
		const error = new LabStartError('unprivileged user namespaces are switched off here', 'sudo sysctl -w kernel.unprivileged_userns_clone=1');
		const app = renderApp({lesson: 5, factory: fakeLabFactory(run, {startError: error})});
		await app.seeLab('The live lab cannot run here', 'unprivileged user namespaces are switched off here', 'To fix it: sudo sysctl -w kernel.unprivileged_userns_clone=1');
		await app.press(keys.right);
		await app.seeLesson('This step needs the live lab, which cannot run here. Press n for the next lesson.');
		await app.press('1');
		await app.see('Why keepalive exists', 'A quiet connection');
		await app.press(keys.right);
		await app.see('The peer that vanished');
		await app.press('2', 'n');
		await app.see('Where the knobs are set', 'The live lab cannot run here');
		// No second try on its own; r tries again.
		expect(app.factory.runs).toHaveLength(1);
		await app.press('r');
		await waitFor(() => expect(app.factory.runs).toHaveLength(2));
	});
});

describe('App: quitting', () => {
	it('q stops the lab, then exits with 0', async () => {
		const exits: Array<{code: number; stops: number}> = [];
		const factory = fakeLabFactory(run);
		const app = renderApp({lesson: 5, factory, onExit: code => exits.push({code, stops: factory.last()!.calls.stop})});
		await app.see('port 6699');
		await app.press('q');
		await waitFor(() => expect(exits).toEqual([{code: 0, stops: 1}]));
	});

	it('Ctrl-C stops the lab too, and exits with 130', async () => {
		const exits: Array<{code: number; stops: number}> = [];
		const factory = fakeLabFactory(run);
		const app = renderApp({lesson: 3, factory, onExit: code => exits.push({code, stops: factory.last()!.calls.stop})});
		await app.see('port 6699');
		await app.press(keys.ctrlC);
		await waitFor(() => expect(exits).toEqual([{code: 130, stops: 1}]));
	});

	it('keeps the lesson as it was while the lab stops, and shows the lab stopped in the last frame', async () => {
		const exits: number[] = [];
		const factory = fakeLabFactory(eventsUntil(run, event => event.type === 'packet' && event.kind === 'keepalive-ack'));
		const app = renderApp({lesson: 4, factory, onExit: code => exits.push(code)});
		await app.press(keys.right, keys.right, keys.right);
		await app.seeLesson('Waiting for 2 keepalive ACKs from the client (1/2).', "Server's keepalive timer (kernel): due in");
		await app.press('q');
		await waitFor(() => expect(exits).toEqual([0]));
		await app.see('Stopped: nothing of the lab is left running.', 'next   lab stopped');
		// Not "The lab is starting.": the run went, none is coming.
		expect(app.lessonText()).toContain("Waiting for 2 keepalive ACKs from the client (1/2). Server's keepalive timer (kernel): due in");
	});

	it('quits from a lesson without a lab, with nothing to stop', async () => {
		const exits: number[] = [];
		const app = renderApp({onExit: code => exits.push(code)});
		await app.see('A quiet connection');
		await app.press('?', 'q');
		await waitFor(() => expect(exits).toEqual([0]));
		expect(app.factory.runs).toHaveLength(0);
	});
});

describe('App: terminal sizes', () => {
	const fits = (frame: string, width: number, height: number) => {
		const lines = rows(frame);
		expect(lines.length).toBeLessThanOrEqual(height - 1);
		for (const line of lines) expect(columns(line), line).toBeLessThanOrEqual(width);
	};

	it('fits 80 × 24 with the lesson on the left and the lab on the right', async () => {
		const app = renderApp({lesson: 5});
		await app.see('port 6699', 'Cut the wire');
		await app.press(keys.right, 'd');
		app.factory.last()!.finish();
		await app.see('! 7.114 S→C RST');
		const frame = app.frame();
		fits(frame, 80, 24);
		const lines = rows(frame);
		expect(lines[0]).toMatch(/^Cut the wire +lab userns/);
		expect(lines.at(-1)).toMatch(/q quit/);
	});

	it('uses a larger terminal for wider panes and more packets', async () => {
		const app = renderApp({lesson: 5, width: 120, height: 40});
		await app.see('port 6699');
		app.factory.last()!.finish();
		await app.see('server → client', '── capture', '0.002 client → server SYN');
		fits(app.frame(), 120, 40);
	});

	it('puts the lab under the lesson below 70 columns', async () => {
		const app = renderApp({lesson: 5, width: 60, height: 30});
		await app.see('port 6699');
		const lines = rows(app.frame());
		fits(app.frame(), 60, 30);
		const title = lines.findIndex(line => line.startsWith('Cut the wire'));
		const lab = lines.findIndex(line => line.startsWith('lab userns'));
		expect(title).toBe(0);
		expect(lab).toBeGreaterThan(title + 3);
	});

	it('redraws on resize', async () => {
		const app = renderApp({lesson: 5});
		await app.see('port 6699');
		resize(app.stdout, 60, 30);
		await waitFor(() => expect(rows(app.frame())[0]).toBe('Cut the wire'));
		resize(app.stdout, 120, 40);
		await waitFor(() => expect(rows(app.frame())[0]).toMatch(/^Cut the wire +lab userns/));
		fits(app.frame(), 120, 40);
	});
});

describe('App: colour', () => {
	withChalkColours();

	// Through ThemeProvider's own default, as renderApp draws the app.
	it('uses colour by default', async () => {
		const factory = fakeLabFactory(run);
		const result = render(
			<ThemeProvider>
				<MessagesProvider messages={en}>
					<App course={course} startLab={factory.startLab} labOptions={params} start={{lesson: 5}} />
				</MessagesProvider>
			</ThemeProvider>,
		);
		await waitFor(() => expect(plain(result.lastFrame())).toContain('port 6699'));
		expect(result.lastFrame()).toMatch(anyColour);
	});

	it('honours NO_COLOR', async () => {
		process.env['NO_COLOR'] = '1';
		const factory = fakeLabFactory(run);
		const result = render(
			<ThemeProvider>
				<MessagesProvider messages={en}>
					<App course={course} startLab={factory.startLab} labOptions={params} start={{lesson: 5}} />
				</MessagesProvider>
			</ThemeProvider>,
		);
		await waitFor(() => expect(plain(result.lastFrame())).toContain('port 6699'));
		expect(result.lastFrame()).not.toMatch(anyColour);
	});
});
