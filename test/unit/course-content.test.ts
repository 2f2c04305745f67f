import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {factsFromEvents, isKnownFact, placeholdersIn, renderText} from '../../source/lessons/facts.js';
import {defaultLessonsDir, loadCourse} from '../../source/lessons/load.js';
import {canGoNext, currentStep, type EngineAction, initialState, reduce} from '../../source/lessons/step-engine.js';
import type {Facts, Lesson, Step} from '../../source/lessons/types.js';
import {fullRun} from './sample-run.js';

const dir = defaultLessonsDir();
const course = loadCourse(dir);
const appFacts = new Set(['host.tcp_keepalive_time', 'host.tcp_keepalive_intvl', 'host.tcp_keepalive_probes', 'host.node', 'lab.preset']);

/** Every text of a step a learner reads, choices and explanation included. */
function textsOf(step: Step): string[] {
	return step.kind === 'question' ? [step.text, ...step.choices, step.explain] : [step.text];
}

/** The lines a step takes in the text pane: word-wrapped paragraphs, code as it is. */
function paneLines(step: Step, width: number, render: (text: string) => string = text => text): number {
	const body = step.kind === 'question' ? `${step.text}\n\n${step.choices.map((choice, i) => `${'abcdefgh'[i]}) ${choice}`).join('\n')}` : step.text;
	let count = 0;
	let inCode = false;
	for (const line of render(body).split('\n')) {
		if (line.startsWith('```')) inCode = !inCode;
		if (inCode || line.length <= width) {
			count++;
			continue;
		}

		let current = 0;
		count++;
		for (const word of line.split(' ')) {
			if (current === 0) current = word.length;
			else if (current + 1 + word.length <= width) current += 1 + word.length;
			else {
				count += 1 + Math.floor((word.length - 1) / width);
				current = word.length % width;
			}
		}
	}

	return count;
}

const stepsOf = (lesson: Lesson) => lesson.steps.map((step, index) => ({lesson, step, index}));
const allSteps = course.lessons.flatMap(stepsOf);

describe('the course in lessons/', () => {
	it('has the seven lessons in the article\'s order', () => {
		expect(course.lessons.map(lesson => lesson.id)).toEqual([
			'why-keepalive',
			'knobs',
			'where-to-set',
			'probe',
			'live',
			'cut-the-wire',
			'summary',
		]);
		expect(course.lessons.map(lesson => lesson.lab)).toEqual([false, false, true, true, true, true, false]);
	});

	it('has unique lesson ids', () => {
		const ids = course.lessons.map(lesson => lesson.id);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('gives every lesson with a lab a wait or prompt step', () => {
		for (const lesson of course.lessons.filter(lesson => lesson.lab)) {
			expect(
				lesson.steps.some(step => step.kind === 'wait' || step.kind === 'prompt'),
				lesson.id,
			).toBe(true);
		}
	});

	it('has every question\'s answer in range, with 2 to 4 choices and an explanation', () => {
		const questions = allSteps.filter(({step}) => step.kind === 'question');
		expect(questions.length).toBeGreaterThan(0);
		for (const {lesson, step} of questions) {
			if (step.kind !== 'question') continue;
			expect(step.answer, `${lesson.id}: ${step.title}`).toBeGreaterThanOrEqual(0);
			expect(step.answer, `${lesson.id}: ${step.title}`).toBeLessThan(step.choices.length);
			expect(step.choices.length).toBeLessThanOrEqual(4);
			expect(step.explain.length).toBeGreaterThan(0);
		}
	});

	it('checks the knobs with a question, and ends with a quiz of 3–4 questions', () => {
		const questions = (id: string) => course.lessons.find(lesson => lesson.id === id)!.steps.filter(step => step.kind === 'question');
		expect(questions('knobs').length).toBeGreaterThanOrEqual(1);
		expect(questions('summary').length).toBeGreaterThanOrEqual(3);
		expect(questions('summary').length).toBeLessThanOrEqual(4);
	});

	it('uses only placeholders of the documented vocabulary', () => {
		const documented = readFileSync(path.join(dir, 'FORMAT.md'), 'utf8');
		for (const {lesson, step} of allSteps) {
			for (const name of textsOf(step).flatMap(placeholdersIn)) {
				expect(isKnownFact(name), `${lesson.id}: ${step.title}: {{${name}}}`).toBe(true);
				// FORMAT.md names each fact, or its group (`probe.*`, `kernel.server.*`).
				const group = `${name.split('.').slice(0, -1).join('.')}.*`;
				expect(documented.includes(`\`${name}\``) || documented.includes(`\`${group}\``), `${name} in FORMAT.md`).toBe(true);
			}
		}
	});

	it('shows lab facts only in lessons that run the lab', () => {
		for (const {lesson, step} of allSteps.filter(({lesson}) => !lesson.lab)) {
			for (const name of textsOf(step).flatMap(placeholdersIn)) {
				expect(appFacts.has(name), `${lesson.id}: ${step.title}: {{${name}}}`).toBe(true);
			}
		}
	});

	it('fits every step in a 40 × 15 text pane, before and after the lab fills in its facts', () => {
		const facts: Facts = {
			...factsFromEvents(fullRun),
			'host.tcp_keepalive_time': '7200',
			'host.tcp_keepalive_intvl': '75',
			'host.tcp_keepalive_probes': '9',
			'host.node': 'v20.20.2',
			// Long values: a real port and the article's slower times.
			'client.port': '54321',
			'drop.command': 'iptables -A INPUT -p tcp --sport 54321 -j DROP',
			'drop.expectedProbes': '110.512, 116.512',
			'drop.probeTimes': '111.603, 117.640',
		};
		for (const {lesson, step} of allSteps) {
			expect(paneLines(step, 40), `${lesson.id}: ${step.title}`).toBeLessThanOrEqual(15);
			expect(paneLines(step, 40, text => renderText(text, facts)), `${lesson.id}: ${step.title} (rendered)`).toBeLessThanOrEqual(15);
			expect(step.title.length, `${lesson.id}: ${step.title}`).toBeLessThanOrEqual(38);
		}
	});

	it('keeps code lines within 40 columns', () => {
		for (const {lesson, step} of allSteps) {
			let inCode = false;
			for (const line of step.text.split('\n')) {
				if (line.startsWith('```')) inCode = !inCode;
				else if (inCode) expect(line.length, `${lesson.id}: ${step.title}: ${line}`).toBeLessThanOrEqual(40);
			}
		}
	});

	it('asks for the article\'s drop with d in the cut-the-wire lesson', () => {
		const cut = course.lessons.find(lesson => lesson.id === 'cut-the-wire')!;
		expect(cut.steps.find(step => step.kind === 'prompt')).toMatchObject({key: 'd', action: 'drop-on'});
	});

	it('can be walked through with one real-like lab run: every wait is met, every fact filled in', () => {
		const facts: Facts = {
			...factsFromEvents(fullRun),
			'host.tcp_keepalive_time': '7200',
			'host.tcp_keepalive_intvl': '75',
			'host.tcp_keepalive_probes': '9',
			'host.node': 'v20.20.2',
		};
		let state = initialState(course);
		const events = fullRun.map((event): EngineAction => ({type: 'lab-event', event}));
		let fed = 0;
		for (let guard = 0; guard < 500 && !state.finished; guard++) {
			const step = currentStep(state);
			if (step.kind === 'question') state = reduce(state, {type: 'answer', choice: step.answer});
			if (step.kind === 'prompt') {
				state = reduce(state, {type: 'key', key: step.key});
				state = reduce(state, {type: 'action-taken', id: state.pendingAction!.id});
			}

			// Feed the lab's events until the step can be passed (the run goes on in the background).
			while (!canGoNext(state) && fed < events.length) state = reduce(state, events[fed++]!);
			expect(canGoNext(state), `${course.lessons[state.lesson]!.id}: ${step.title}`).toBe(true);
			// The facts as the learner sees them when the step is done; those that only come
			// later in the run from the end of it. (Some, like the kernel's timer, are gone by then.)
			const now = {...facts, ...factsFromEvents(fullRun.slice(0, fed))};
			for (const text of textsOf(step)) {
				expect(renderText(text, now, '<missing>'), `${course.lessons[state.lesson]!.id}: ${step.title}`).not.toContain('<missing>');
			}

			state = reduce(state, {type: 'next'});
		}

		expect(state.finished).toBe(true);
		expect(Object.values(state.answers).every(answer => answer.correct)).toBe(true);
	});
});
