import {fileURLToPath} from 'node:url';
import type {LabEvent} from '../../source/lab/shared/events.js';
import {loadCourse} from '../../source/lessons/load.js';
import {initialTutorial, type TutorialAction, tutorialReducer, type TutorialState} from '../../source/ui/tutorial-state.js';

/*
 * The tutorial's state on the fixture course (test/fixtures/course):
 * intro: 0 read, 1 question (a–c, answer b); lab: 0 read, 1 wait for 2 probes, 2 prompt d drop-on, …
 */
const course = loadCourse(fileURLToPath(new URL('../fixtures/course/', import.meta.url)));

/** The state at the start of lesson `lesson` (0-based), after `actions`. */
export function tutorialAt(lesson: number, ...actions: TutorialAction[]): TutorialState {
	return actions.reduce(tutorialReducer, initialTutorial(course, {lesson}));
}

const probe: LabEvent = {t: 2, type: 'packet', from: 'server', flags: ['ACK'], seq: 0, ack: 1, relSeq: 0, relAck: 1, len: 0, kind: 'keepalive'};

/** From the lab lesson's start to its prompt: its wait for two probes met. */
export const toPrompt: TutorialAction[] = [{type: 'next'}, {type: 'lab-event', event: probe}, {type: 'lab-event', event: probe}, {type: 'next'}];
