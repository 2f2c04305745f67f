import {describe, expect, it} from 'vitest';
import type {KernelEvent} from '../../source/lab/shared/events.js';
import {defaultLessonsDir} from '../../source/lessons/course.js';
import {factsFromEvents, factVocabulary} from '../../source/lessons/facts.js';
import {loadCourse} from '../../source/lessons/load.js';
import {type EngineAction, type EngineState, initialState, reduce} from '../../source/lessons/step-engine.js';
import type {Course, Facts} from '../../source/lessons/types.js';
import {lessonScreen, screenInputOf} from '../../source/ui/lesson/lesson-screen.js';
import {loadEvents} from '../helpers/events.js';

const course: Course = loadCourse(defaultLessonsDir());
/** Recorded from the real lab (test/fixtures/events/README.md). */
const run = loadEvents('fast-drop');
const feed = (state: EngineState, events = run) => events.reduce((s, event) => reduce(s, {type: 'lab-event', event}), state);
/** Every fact a lesson may name, each with a value of its own, over those of these events. */
const everyFact = (events = run): Facts => ({...Object.fromEntries(factVocabulary.map(name => [name, `<${name}>`])), ...factsFromEvents(events)});
/** The run until the server's keepalive timer is first read: a timer wait shows it. */
const untilTimer = run.slice(0, run.findIndex(event => event.type === 'kernel' && event.side === 'server' && event.timer === 'keepalive') + 1);

/** Each step of the course, and its facts: as first shown, answered (questions), with part of the run fed and with all of it. */
function* moments(): Generator<[string, EngineState, Facts]> {
	for (const [lesson, {id, steps}] of course.lessons.entries()) {
		for (const [step, {kind}] of steps.entries()) {
			const at = initialState(course, {lesson, step});
			yield [`${id} step ${step + 1}`, at, everyFact([])];
			yield [`${id} step ${step + 1}, the timer read`, feed(at, untilTimer), everyFact(untilTimer)];
			yield [`${id} step ${step + 1}, the run fed`, feed(at), everyFact()];
			if (kind === 'question') yield [`${id} step ${step + 1}, answered`, reduce(at, {type: 'key', key: 'a'} satisfies EngineAction), everyFact()];
		}
	}
}

const laidOut = (input: ReturnType<typeof screenInputOf>, facts = input.facts) => lessonScreen({...input, facts, lab: 'running', width: 39, height: 22});

describe('what the lesson screen is laid out from', () => {
	it('keeps every fact a step can show: the screen is the same as from all the facts', () => {
		for (const [moment, engine, facts] of moments()) {
			const input = screenInputOf(engine, facts);
			expect(laidOut(input), moment).toEqual(laidOut(input, facts));
		}
	});

	it('is the same after a kernel reading that the step does not show, and differs where the step shows the timer', () => {
		const reading = run.filter((event): event is KernelEvent => event.type === 'kernel' && event.side === 'server' && event.timer === 'keepalive').at(-1);
		expect(reading).toBeDefined();
		const later: KernelEvent = {...reading!, t: reading!.t + 0.1, dueIn: reading!.dueIn - 0.1};
		const inputsAround = (lessonId: string, title: string) => {
			const lesson = course.lessons.findIndex(({id}) => id === lessonId);
			const step = course.lessons[lesson]!.steps.findIndex(s => s.title === title);
			const before = feed(initialState(course, {lesson, step}), [...run.filter(event => event.type !== 'firewall' && event.type !== 'summary'), reading!]);
			const after = feed(before, [later]);
			const facts = (state: EngineState) => factsFromEvents([...run, state === after ? later : reading!]);
			return [screenInputOf(before, facts(before)), screenInputOf(after, facts(after))];
		};

		const [settingsBefore, settingsAfter] = inputsAround('live', 'The settings in force');
		expect(settingsAfter).toEqual(settingsBefore);
		const [countdownBefore, countdownAfter] = inputsAround('live', "The kernel's countdown");
		expect(countdownAfter!.facts['kernel.server.dueIn']).not.toBe(countdownBefore!.facts['kernel.server.dueIn']);
	});

	it("follows a wait step's progress", () => {
		const lesson = course.lessons.findIndex(({steps}) => steps.some(step => step.kind === 'wait' && step.until.type === 'packet'));
		const step = course.lessons[lesson]!.steps.findIndex(s => s.kind === 'wait' && s.until.type === 'packet');
		const at = initialState(course, {lesson, step});
		expect(screenInputOf(at, {}).run.progress.have).toBe(0);
		expect(screenInputOf(feed(at), {}).run.progress.have).toBeGreaterThan(0);
	});
});
