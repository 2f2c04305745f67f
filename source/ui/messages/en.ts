import {kindLabels} from '../../lab/model/kind-labels.js';
import type {SegmentKind, Side} from '../../lab/shared/events.js';
import {describeCondition, type EngineNotice} from '../../lessons/step-engine.js';
import type {Condition, LabAction} from '../../lessons/types.js';
import {cliEn} from './en-cli.js';
import {exercisesEn} from './en-exercises.js';

/*
 * Every word the tutorial's screens, the doctor and the progress file say, in English.
 * The Chinese catalog (zh.ts) has the type of this one: a key or a parameter missing
 * there is a type error. Texts with values are functions of typed parameters; the
 * plurals English needs are made inside them.
 */

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);
const sides: Record<Side, string> = {server: 'server', client: 'client'};

/** A "Press key to …" line: the key is drawn between the two texts. */
export type AroundKey = {before: string; after: string};

/** Check names of the doctor's lines. */
type DoctorName = 'linux' | 'unshare' | 'ip' | 'userns' | 'firewall' | 'node' | 'terminal' | 'size' | 'colours' | 'namespace' | 'probe' | 'drop';

const actionWords: Record<LabAction, string> = {
	'drop-on': "drop the client's packets (the firewall rule goes in)",
	'drop-off': 'remove the drop rule',
	restart: 'restart the lab',
	'keepalive-on': "restart the lab with the server's keepalive on",
	'keepalive-off': "restart the lab with the server's keepalive off",
	'send-client': "have the client's application write the line",
	'send-server': "have the server's application write the line",
	freeze: "stop the client's process (SIGSTOP)",
	resume: "let the client's process run again (SIGCONT)",
};

const doneWords: Record<LabAction, string> = {
	'drop-on': 'the drop is in force.',
	'drop-off': 'the drop is off.',
	restart: 'a new lab run has started.',
	'keepalive-on': "a new lab run has started, the server's keepalive on.",
	'keepalive-off': "a new lab run has started, the server's keepalive off.",
	'send-client': "the client's application wrote the line.",
	'send-server': "the server's application wrote the line.",
	freeze: "the client's process is stopped.",
	resume: "the client's process runs again.",
};

const waiting = (what: string, have: number, need: number) => `Waiting for ${what}${need > 1 ? ` (${have}/${need})` : ''}.`;

/** The step engine's notice: why → did not go on, or a key that did nothing. */
function engineNotice(notice: EngineNotice): string {
	switch (notice.kind) {
		case 'waiting': {
			return waiting(describeCondition(notice.condition), notice.have, notice.need);
		}

		case 'press-first': {
			return `Press ${notice.key} first.`;
		}

		case 'confirming': {
			return 'Waiting for the lab to confirm…';
		}

		case 'answer-first': {
			return `Answer first: press a–${notice.last}.`;
		}

		case 'already-done': {
			return 'Already done: press next to go on.';
		}

		case 'already-answered': {
			return 'Already answered: press next to go on.';
		}

		case 'no-firewall': {
			return 'No firewall tool here: the drop is not available.';
		}
	}
}

export const en = {
	/** Durations and times: "1.5 s", "1m 54s", "1h 59m 59s". */
	units: {
		seconds: (value: string) => `${value} s`,
		minutes: (m: number, s: string) => `${m}m ${s}s`,
		hours: (h: number, m: string, s: string) => `${h}h ${m}m ${s}s`,
	},
	sides,
	/** --help and the usage errors. */
	cli: cliEn,
	/** `verify`'s lines and the verdicts' reasons. */
	exercises: exercisesEn,
	app: {
		stopping: 'Stopping the lab…',
		stopped: 'Stopped: nothing of the lab is left running.',
		stoppedShort: 'Lab stopped; nothing left running.',
		tooSmall: (minColumns: number, minRows: number, columns: number, rows: number) =>
			`ka-tutorial needs at least ${minColumns}×${minRows}; this terminal is ${columns}×${rows} — make it bigger (q quits).`,
		notATerminal: `ka-tutorial: the tutorial is interactive and needs a terminal (a TTY) for its input and output.
To run the lab without one, use the headless mode:
  ka-tutorial lab            the experiment as a readable timeline
  ka-tutorial lab --json     one JSON event per line, for scripts
`,
		lastLesson: 'This is the last lesson.',
		firstLesson: 'This is the first lesson.',
		noLab: 'This lesson has no lab; the lab runs in lessons that show it on the right.',
		labFailed: (error: string) => `The lab could not do that: ${error}.`,
		labNotRunning: 'the lab is not running',
		clientNotConnected: "the lab's client has not connected",
		labRestarted: 'the lab was restarted meanwhile',
	},
	/** The key hints line. */
	hints: {
		next: 'next',
		back: 'back',
		scroll: 'scroll',
		lesson: 'lesson',
		menu: 'menu',
		answer: 'answer',
		prompt: {
			'drop-on': 'drop',
			'drop-off': 'allow',
			restart: 'restart',
			'keepalive-on': 'keepalive on',
			'keepalive-off': 'keepalive off',
			'send-client': 'client writes',
			'send-server': 'server writes',
			freeze: 'freeze',
			resume: 'resume',
		} satisfies Record<LabAction, string>,
		restartLab: 'restart lab',
		tryLabAgain: 'try the lab again',
		help: 'help',
		choose: 'choose',
		open: 'open',
		close: 'close',
		quit: 'quit',
		anyKey: 'any key',
		value: 'value',
		field: 'field',
		run: 'run',
		runAgain: 'run again',
		hint: 'hint',
		solution: 'solution',
		exercise: 'exercise',
	},
	/** The help overlay. */
	help: {
		title: 'Keys',
		close: 'Press any key to close.',
		about:
			'The lab runs a real server and client in a private network namespace. Its processes and its firewall rule are gone when it stops; your host is never touched.',
		nextKeys: '→ space enter',
		next: 'next step',
		prev: 'previous step',
		scroll: 'scroll a long step',
		lessonBy: 'next / previous lesson',
		gotoLesson: 'go to that lesson',
		menu: 'list of lessons',
		answer: 'answer a question',
		stepKey: 'the key a step asks for',
		restartLab: 'restart the lab',
		help: 'this help',
		quit: 'quit (the lab stops first)',
		value: "type or erase an exercise's value",
		field: 'next / previous value',
		run: 'run the exercise with your values',
		hint: 'the next hint',
		solution: 'the worked solution',
		exerciseBy: 'next / previous exercise',
	},
	menu: {
		title: 'Lessons',
		legend: '✓ done  ◐ started  lab: live lab',
		exercises: 'Exercises',
		/** Beside a lesson with a lab. */
		lab: 'lab',
	},
	lesson: {
		progress: (lesson: number, lessons: number, step: number, steps: number) => `Lesson ${lesson}/${lessons} · step ${step}/${steps}`,
		moreBelow: '↓ more below (↑/↓ scroll)',
		moreAbove: '↑ more above (↑/↓ scroll)',
		needsLab: 'This step needs the live lab, which cannot run here. Press n for the next lesson.',
		condition: (condition: Condition) => describeCondition(condition),
		waited: (what: string) => `Done: waited for ${what}.`,
		goOn: 'Press → to go on.',
		waiting,
		labStarting: 'The lab is starting.',
		runEnded: 'This lab run has ended. Press r to start a new one.',
		/** Before and after the seconds (drawn as a fact) until the server's keepalive timer fires. */
		timerDue: (seconds: string) => ({before: "Server's keepalive timer (kernel): due in ", value: `${seconds} s`, after: ''}),
		done: (action: LabAction) => `Done: ${doneWords[action]}`,
		noDrop: (why: string) => `The drop is not available here: ${why}`,
		noDropFix: (fix: string) => `${fix} Then press r. Or press n for the next lesson.`,
		confirming: 'Waiting for the lab to confirm.',
		press: (action: LabAction): AroundKey => ({before: 'Press ', after: ` to ${actionWords[action]}.`}),
		pressToAnswer: {before: 'Press ', after: ' to answer.'} satisfies AroundKey,
		right: 'Right.',
		notQuite: (letter: string) => `Not quite: the answer is ${letter}).`,
		finished: 'You have finished the course.',
		finishedHint: 'Press m for the lessons, or q to quit.',
		finishedExercises: 'Press → for the exercises, m for the lessons, or q to quit.',
		nextStep: 'Press → for the next step.',
		nextLesson: (number: number, title: string) => `Press → for lesson ${number}: ${title}.`,
		finishCourse: 'Press → to finish the course.',
		engineNotice,
	},
	exercise: {
		progress: (number: number, count: number) => `Exercise ${number}/${count}`,
		passed: '✓ passed',
		goal: 'Goal: ',
		hint: (number: number, count: number) => `Hint ${number}/${count}`,
		solution: 'Solution: ',
		solutionValues: (idle: number, intvl: number, probes: number) => `idle ${idle} s, intvl ${intvl} s, probes ${probes}`,
		/** After a value: the unit of idle and intvl. */
		unit: 's',
		/** A knob's range: `idle 1..30 s`, `probes 1..10`. */
		range: (knob: string, min: number, max: number, unit: string) => `${knob} ${min}..${max}${unit === '' ? '' : ` ${unit}`}`,
		allowed: (range: string) => `allowed: ${range}`,
		notWhole: (knob: string, range: string) => `${knob} needs a whole number; allowed: ${range}`,
		outside: (knob: string, value: string, range: string) => `${knob} ${value} is out of range; allowed: ${range}`,
		pressRun: {before: 'Press ', after: ' to run the lab with these values.'} satisfies AroundKey,
		starting: 'Starting a lab with your values…',
		running: 'Running: the kernel decides.',
		verdict: {pass: 'Pass: ', fail: 'Fail: ', pending: 'Undecided: '},
		endedEarly: (why: string) => `The run ended early: ${why}.`,
		couldNotRun: (why: string) => `The exercise could not run: ${why}`,
		offerSolution: {before: 'Press ', after: ' for a worked solution, or change the values and run again.'} satisfies AroundKey,
		nextExercise: {before: 'Press ', after: ' for the next exercise.'} satisfies AroundKey,
		wait: 'A run is on: wait for its verdict.',
		noMoreHints: 'No more hints; s shows the solution.',
		first: 'This is the first exercise.',
		last: 'This is the last exercise.',
		noDrop: (why: string, fix: string) => `Every exercise drops the client's packets, which cannot be done here: ${why} ${fix}`,
	},
	lab: {
		starting: 'lab starting…',
		stoppedLab: 'lab stopped',
		sandbox: (kind: string) => `lab ${kind}`,
		port: (port: string) => `port ${port}`,
		stopped: 'stopped',
		error: (wide: boolean): string => (wide ? 'lab error: ' : 'error: '),
		notReadBack: 'keepalive: not read back yet',
		readBack: (wide: boolean): string => (wide ? 'server keepalive read back:' : 'keepalive'),
		idle: (seconds: number) => `idle ${seconds} s`,
		intvl: (seconds: number) => `intvl ${seconds} s`,
		probes: (count: number) => `probes ${count}`,
		nodeDefaults: (intvl: number, probes: number) => `(setKeepAlive alone: intvl ${intvl} s, probes ${probes})`,
		/** A socket's state after its side's name: an errno name or a TCP state, else one of these. */
		socketError: 'error',
		socketClosed: 'closed',
		socketConnected: 'connected',
		socketWaiting: 'waiting',
		drop: 'drop: ',
		summaryOk: 'summary: ok',
		summaryFailed: (why: string | undefined) => `summary: failed, ${why ?? 'see the events'}`,
		timerHeading: 'kernel keepalive timer (server)',
		captureHeading: 'capture',
		keepaliveOff: 'server keepalive off',
		conntrack: (state: string, left: string) => `router: ${state}, ${left} left`,
		noConntrack: 'router: no entry yet',
		forgotten: (at: string) => `router entry gone at ${at} s`,
		invalid: (dropped: number) => `INVALID dropped ${dropped}`,
		routerData: (into: number, out: number) => `client data into router ${into}, out ${out}`,
		frozen: (at: string) => `client stopped (SIGSTOP) ${at} s`,
		resumed: (at: string) => `client running again ${at} s`,
		answeredWhileFrozen: (count: number) => `its kernel answered ${count} probe${count === 1 ? '' : 's'}`,
		retransmits: (count: number) => `server retransmits ${count}`,
		rto: (seconds: string) => `rto ${seconds}`,
		backoff: (count: number) => `backoff ${count}`,
		/** The server's segments sent and not yet acknowledged (tcpi_unacked). */
		unacked: (count: number) => `unacked ${count}`,
		onTheWire: (count: number) => `(${count} on the wire)`,
		/** The capture's count of the server's retransmissions, where no kernel reading has a count of its own. */
		retransmittedOnTheWire: (count: number) => `server: ${count} retransmission${count === 1 ? '' : 's'} on the wire`,
		wrote: (who: string, text: string, at: string) => `${who} wrote "${text}" ${at} s`,
		read: (who: string, text: string, at: string) => `${who} read "${text}" ${at} s`,
		writeFailed: (who: string, code: string) => `${who} write failed: ${code}`,
	},
	countdowns: {
		timer: 'timer',
		next: 'next',
		probes: 'probes',
		socketGone: 'none: the socket is gone',
		waitingKernel: 'waiting for the kernel',
		waitingLab: 'waiting for the lab',
		unanswered: (used: number, limit: number) => `${used}/${limit} unanswered`,
		fires: (duration: string) => `keepalive, fires in ${duration}`,
		late: 'due — kernel timer running late',
		/** The next probe or the RST, and which rule decides it (none for the RST). */
		nextIn: (what: 'rst' | 'first' | 'next', duration: string, why: 'idle' | 'intvl' | null) =>
			`${{rst: 'RST', first: 'first probe', next: 'next probe'}[what]} in ${duration}${why === null ? '' : ` (${why})`}`,
		noneUnanswered: 'none unanswered',
		rstDueLate: 'RST due, kernel timer late',
		rstExpectedIn: (duration: string) => `RST expected in ${duration}`,
		closedBy: (code: string, at: string | null) => `closed by ${code}${at === null ? '' : ` at ${at} s`}`,
		serverClosed: (at: string | null) => `server closed${at === null ? '' : ` at ${at} s`}`,
		resetAt: (at: string) => `reset at ${at} s`,
		serverGone: 'server socket gone',
		timeWait: 'server socket in TIME_WAIT',
		labStopped: 'lab stopped',
		retransmit: 'paused: retransmit timer runs',
		zeroWindow: 'paused: zero-window probe timer',
		noTimer: 'no kernel timer running',
		otherTimer: (kind: string) => `${kind} timer`,
		noRst: 'no RST seen',
		rstAt: (at: string, expected: string | null) => `RST at ${at} s${expected === null ? '' : `, expected ${expected}`}`,
	},
	counters: {
		serverToClient: (wide: boolean): string => (wide ? 'packets server → client' : 'packets S→C'),
		clientToServer: (wide: boolean): string => (wide ? 'client → server' : 'C→S'),
		rst: 'RST',
		probesSent: 'probes sent',
		answered: 'answered',
		dropped: (wide: boolean): string => (wide ? 'client ACKs dropped' : 'dropped'),
	},
	packets: {
		time: 'time',
		dir: 'dir',
		direction: 'direction',
		kind: 'kind',
		seq: 'seq',
		ack: 'ack',
		len: 'len',
		/** Wireshark's words for each kind of segment, so the learner meets the same ones in a real capture. */
		kinds: kindLabels satisfies Record<SegmentKind, string>,
		directionOf: (from: Side, short: boolean): string =>
			short ? (from === 'server' ? 'S→C' : 'C→S') : from === 'server' ? 'server → client' : 'client → server',
		/** The client's segment as it entered the NAT router (whether or not it left it). */
		intoRouter: (short: boolean): string => (short ? 'C→R' : 'client → router'),
		dropped: (short: boolean): string => (short ? ' ✗' : ' ✗ dropped'),
		earlier: (count: number) => `${count} earlier`,
		none: 'no packets captured yet',
	},
	unavailable: {
		title: 'The live lab cannot run here',
		toFix: 'To fix it:',
		stillWorks: "The lessons' text still works; only the live packets, timers and drop are missing.",
		/** The fix where the lab's error names none. */
		fix: '`ka-tutorial lab` runs the same lab without the tutorial and prints what goes wrong.',
	},
	progress: {
		noConfigDir: (why: string) => `Progress is not saved: no config directory (${why}).`,
		ignored: (file: string, why: string) => `Saved progress ignored: ${file} ${why}; it is replaced as you go on.`,
		unreadable: (why: string) => `could not be read (${why})`,
		notJson: 'is not valid JSON',
		damaged: (reason: string) => `is damaged: ${reason}`,
		notSaved: (file: string, why: string) => `Progress not saved: could not write ${file} (${why}).`,
		notReset: (file: string, why: string) => `Could not start over: ${file} could not be removed (${why}).`,
	},
	doctor: {
		names: {
			linux: 'Linux',
			unshare: 'unshare',
			ip: 'ip',
			userns: 'user namespaces',
			firewall: 'firewall',
			node: 'Node',
			terminal: 'terminal',
			size: 'terminal size',
			colours: 'colours',
			namespace: 'lab namespace',
			probe: 'keepalive probe',
			drop: 'drop',
		} satisfies Record<DoctorName, string>,
		lessons: (runs: readonly string[], count: number) => `${plural(count, 'lesson', 'lessons')} ${runs.join(', ')}`,
		withoutDrop: (watching: string | null, watchingCount: number, dropping: string) =>
			`${watching === null ? '' : `${watching} still ${watchingCount === 1 ? 'runs, since it only watches' : 'run, since they only watch'}; `}${dropping} cannot drop`,
		toolFound: (path: string, pkg: string) => `${path} (${pkg})`,
		toolMissing: (dirs: string) => `not found in PATH nor in ${dirs}`,
		usernsAsRoot: (command: string) => `not needed as root (the lab uses \`${command}\`); run doctor without sudo to check them for ordinary users`,
		noSwitch: (sysctl: string) => `${sysctl}: not a switch on this kernel`,
		usernsOff: (sysctl: string, value: string) => `${sysctl} = ${value}: ordinary users may not make the lab's namespace`,
		usernsFix: (sysctl: string, on: string) => `sudo sysctl -w ${sysctl}=${on}, or run the tutorial as root: sudo npx ka-tutorial`,
		notLinux: (platform: string, labLessons: string) =>
			`this is ${platform}: the lab needs Linux network namespaces; ${labLessons} need the lab, the others work here`,
		notLinuxFix: 'run ka-tutorial on Linux (a VM or a Linux container with its own kernel works)',
		kernel: (release: string) => `kernel ${release}`,
		iptables: (path: string, nftToo: boolean) => `the lab will use iptables, ${path}${nftToo ? ' (nft is here too)' : ''}`,
		nft: (path: string) => `the lab will use nft, ${path} (no iptables)`,
		noFirewall: (withoutDrop: string) => `neither iptables nor nft found: ${withoutDrop}`,
		firewallFix: (iptables: string, nft: string) => `sudo apt-get install ${iptables} (or ${nft})`,
		nodeOk: (version: string, range: string) => `${version} (package.json engines: node ${range})`,
		nodeOld: (version: string, range: string) => `${version} is too old (package.json engines: node ${range})`,
		nodeFix: (version: string) => `install Node ${version} or newer (https://nodejs.org)`,
		sizeTooSmall: (size: string, min: string) => `${size}: below ${min} the tutorial only asks for a bigger window`,
		sizeStacked: (size: string, columns: number) => `${size}: the tutorial runs, but below ${columns} columns the lab pane goes under the lesson`,
		sizeScrolls: (size: string) => `${size}: the tutorial runs, but long steps scroll`,
		sizeOk: (size: string, roomy: string) => `${size} (${roomy} or larger)`,
		sizeFix: (roomy: string) => `make the window ${roomy} or larger`,
		colours: (count: string) => `${count} colours`,
		trueColour: '24-bit colour',
		noColours: 'none (NO_COLOR is set, TERM=dumb, or the terminal has none): the tutorial still works, its marks (✗ * !) stand in for colour',
		coloursFix: 'unset NO_COLOR, or use a terminal with colours',
		piped: 'stdout is not a terminal (piped or redirected), so its size and colours were not checked',
		pipedFix: 'run ka-tutorial doctor in the terminal the tutorial will use',
		isTerminal: 'stdout is a terminal',
		seeTheRun: (command: string) => `run \`${command}\` to see the whole run`,
		labNotTried: 'not tried: the lab needs the ✗ above fixed first',
		labNotStarted: 'the lab did not start',
		labReady: (command: string, seconds: string) => `\`${command}\`, ready in ${seconds} s`,
		probeUnanswered: (at: string) => `a probe left at ${at} s but no answer was seen`,
		noProbe: (idle: number) => `no keepalive probe seen (idle ${idle} s)`,
		probeAnswered: (sent: string, idle: number, answered: string) => `sent at ${sent} s (idle ${idle} s), answered at ${answered} s`,
		noFirewallInLab: 'no firewall tool works in its namespace',
		dropCounted: (command: string, count: number) => `\`${command}\`: its counter counted ${count} dropped ${plural(count, 'answer', 'answers')}`,
		dropNotCounted: (command: string) => `\`${command}\` counted no dropped answer`,
		dropNotAdded: 'the drop rule was not added',
		because: (what: string, why: string) => `${what}: ${why}`,
		deadline: (seconds: number) => `the lab got no further within ${seconds} s`,
		willNotWork: 'The full tutorial will not work here until the ✗ lines are fixed.',
		willWork: (warnings: number) => `The full tutorial will work here${warnings > 0 ? ` (${warnings} ${plural(warnings, 'warning', 'warnings')}, marked !)` : ''}.`,
	},
};

export type Messages = typeof en;
