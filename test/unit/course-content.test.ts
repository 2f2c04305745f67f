import {describe, expect, it} from 'vitest';
import {layoutProblems} from '../../source/lessons/check-layout.js';
import {checkCourse} from '../../source/lessons/check-course.js';
import {factsFromEvents, factsOf} from '../../source/lessons/facts.js';
import {foldRun, initialRun} from '../../source/lab/model/run-state.js';
import {stepFacts} from '../../source/lessons/step-facts.js';
import {defaultLessonsDir, translationDir} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import {formatProblem} from '../../source/lessons/problem.js';
import {canGoNext, currentStep, initialState, reduce, restartsLab} from '../../source/lessons/step-engine.js';
import type {Facts} from '../../source/lessons/types.js';
import type {LabEvent} from '../../source/lab/shared/events.js';
import {loadEvents} from '../helpers/events.js';
import {fullRun} from './sample-run.js';

/**
 * The lab runs of the lessons that ask for their own (test/fixtures/events/README.md says how
 * each was recorded), one per run the lesson starts: a recording with two `lab ready` events
 * holds two. The other lab lessons share the sample run.
 */
const recorded: Record<string, string[]> = {
	'nat-forgets': ['lesson-nat'],
	'busy-socket': ['lesson-busy'],
	'user-timeout': ['lesson-user-timeout'],
	'frozen-app': ['lesson-frozen'],
	'late-timers': ['lesson-late-timers'],
};

/** Every fact the run's events show at some moment, each with its latest value. */
function everShown(events: readonly LabEvent[]): Facts {
	const shown: Facts = {};
	let run = initialRun;
	for (const event of events) {
		run = foldRun(run, event);
		Object.assign(shown, factsOf(run));
	}

	return shown;
}

function lessonRuns(id: string): LabEvent[][] {
	const names = recorded[id];
	if (!names) return [fullRun];
	return names.flatMap(name => {
		const runs: LabEvent[][] = [];
		for (const event of loadEvents(name)) {
			if (event.type === 'lab' && event.event === 'ready') runs.push([]);
			runs.at(-1)?.push(event);
		}

		return runs;
	});
}

const hostFacts: Facts = {'host.tcp_keepalive_time': '7200', 'host.tcp_keepalive_intvl': '75', 'host.tcp_keepalive_probes': '9', 'host.node': 'v20.20.2'};

// The shipped course, and its Chinese translation: each is a course the tutorial runs (--lang zh).
describe.each([
	['lessons/', defaultLessonsDir()],
	['lessons/zh/', translationDir(defaultLessonsDir(), 'zh')],
])('the course in %s', (_name, dir) => {
	const course = loadCourse(dir);
	it('passes the author\'s check (ka-tutorial check-lessons): its format and its layout, and its translations\' against it', () => {
		expect(checkCourse(dir).problems.map(problem => formatProblem(problem))).toEqual([]);
	});

	it('still fits its panes once a lab run has filled in its facts, long ones too', () => {
		const facts: Facts = {
			...factsFromEvents(fullRun),
			...hostFacts,
			// Long values: a real port and the article's slower times.
			'client.port': '54321',
			'drop.command': 'iptables -A INPUT -p tcp --sport 54321 -j DROP',
			'drop.expectedProbes': '110.512, 116.512',
			'drop.probeTimes': '111.603, 117.640',
		};
		expect(layoutProblems(course, facts).map(problem => formatProblem(problem))).toEqual([]);
	});

	it('can be walked through with real-like lab runs: every wait is met, every fact filled in', () => {
		let state = initialState(course);
		let shared: string | undefined;
		let runs: LabEvent[][] = [];
		let events: LabEvent[] = [];
		let fed = 0;
		const begin = (index: number) => {
			events = runs[index] ?? [];
			fed = 0;
			state = reduce(state, {type: 'lab-reset'});
		};

		for (let guard = 0; guard < 800 && !state.finished; guard++) {
			const lesson = course.lessons[state.lesson]!;
			// As the lab store does: lessons that ask for the same run share it; another starts its own.
			const key = lesson.lab ? JSON.stringify(lesson.run ?? {}) : undefined;
			if (key !== undefined && key !== shared) {
				runs = lessonRuns(lesson.id);
				begin(0);
			}

			shared = key ?? shared;
			const step = currentStep(state);
			const where = `${lesson.id}: ${step.title}`;
			if (step.kind === 'question') state = reduce(state, {type: 'answer', choice: step.answer});
			if (step.kind === 'prompt') {
				state = reduce(state, {type: 'key', key: step.key});
				state = reduce(state, {type: 'action-taken', id: state.pendingAction!.id});
				if (restartsLab(step.action)) begin(runs.indexOf(events) + 1);
			}

			// Feed the lab's events until the step can be passed (the run goes on in the background).
			while (!canGoNext(state) && fed < events.length) state = reduce(state, {type: 'lab-event', event: events[fed++]!});
			expect(canGoNext(state), where).toBe(true);
			// The facts as the learner sees them when the step is done, and those the run shows at
			// some moment of it (some come later, some, like the kernel's timer, are gone by its end).
			const now = {...everShown(events), ...hostFacts, ...factsFromEvents(events.slice(0, fed))};
			expect(stepFacts(step).map(fact => fact.name).filter(name => now[name] === undefined), where).toEqual([]);
			state = reduce(state, {type: 'next'});
		}

		expect(state.finished).toBe(true);
		expect(Object.values(state.answers).every(answer => answer.correct)).toBe(true);
	});
});
