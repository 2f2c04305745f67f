import {describe, expect, it} from 'vitest';
import {layoutProblems} from '../../source/lessons/check-layout.js';
import {checkCourse} from '../../source/lessons/check-course.js';
import {factsFromEvents} from '../../source/lessons/facts.js';
import {stepFacts} from '../../source/lessons/step-facts.js';
import {defaultLessonsDir, translationDir} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import {formatProblem} from '../../source/lessons/problem.js';
import {canGoNext, currentStep, type EngineAction, initialState, reduce} from '../../source/lessons/step-engine.js';
import type {Facts} from '../../source/lessons/types.js';
import {fullRun} from './sample-run.js';

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

	it('can be walked through with one real-like lab run: every wait is met, every fact filled in', () => {
		let state = initialState(course);
		const events = fullRun.map((event): EngineAction => ({type: 'lab-event', event}));
		let fed = 0;
		for (let guard = 0; guard < 500 && !state.finished; guard++) {
			const step = currentStep(state);
			const where = `${course.lessons[state.lesson]!.id}: ${step.title}`;
			if (step.kind === 'question') state = reduce(state, {type: 'answer', choice: step.answer});
			if (step.kind === 'prompt') {
				state = reduce(state, {type: 'key', key: step.key});
				state = reduce(state, {type: 'action-taken', id: state.pendingAction!.id});
			}

			// Feed the lab's events until the step can be passed (the run goes on in the background).
			while (!canGoNext(state) && fed < events.length) state = reduce(state, events[fed++]!);
			expect(canGoNext(state), where).toBe(true);
			// The facts as the learner sees them when the step is done; those that only come
			// later in the run from the end of it. (Some, like the kernel's timer, are gone by then.)
			const now = {...factsFromEvents(fullRun), ...hostFacts, ...factsFromEvents(fullRun.slice(0, fed))};
			expect(stepFacts(step).map(fact => fact.name).filter(name => now[name] === undefined), where).toEqual([]);
			state = reduce(state, {type: 'next'});
		}

		expect(state.finished).toBe(true);
		expect(Object.values(state.answers).every(answer => answer.correct)).toBe(true);
	});
});
