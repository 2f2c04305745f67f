import {readdirSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {checkCourse} from '../../source/lessons/check-course.js';
import {designTerminal, narrowestPane} from '../../source/lessons/check-layout.js';
import {courseProblemsLine} from '../../source/lessons/problem.js';
import {layout} from '../../source/ui/layout.js';
import {checkLessons as check, fixture} from '../helpers/check-lessons.js';

describe('check-lessons', () => {
	it('passes a good course with one summary line, and exit code 0', () => {
		expect(check(fixture('course'))).toEqual({code: 0, lines: ['test/fixtures/course: 2 lessons, 8 steps, no problems']});
	});

	it('reports every bad lesson of a course as file:line: message, and exit code 1', () => {
		const {code, lines} = check(fixture('bad-lessons'));
		const files = readdirSync(fixture('bad-lessons')).filter(file => file.endsWith('.md'));
		expect(code).toBe(1);
		expect(lines.at(-1)).toBe(`${files.length} problems in test/fixtures/bad-lessons`);
		// One problem per file (test/unit/lesson-parse.test.ts has each message), in the manifest's order.
		const problems = lines.slice(0, -1);
		expect(problems.map(line => /^test\/fixtures\/bad-lessons\/([\w-]+\.md):\d+: ./.exec(line)?.[1])).toEqual([...files].sort());
		expect(problems[0]).toBe(
			'test/fixtures/bad-lessons/answer-not-a-letter.md:11: step 1 "Quiz": `answer` must be the letter of the right choice, a–b; got 1',
		);
	});

	it.each([
		['bad-course-duplicate-id', 'index.yaml:4: lesson id "same" is used by both one.md and two.md'],
		['bad-course-missing-file', 'index.yaml:4: lesson file "gone.md" does not exist'],
		['bad-course-sysctl-clash', 'index.yaml:4: two.md sets tcp_keepalive_time to 300, one.md to 600: the lessons share one lab namespace'],
	])('reports what is wrong with the course as a whole: %s', (name, problem) => {
		expect(check(fixture(name))).toEqual({code: 1, lines: [`test/fixtures/${name}/${problem}`, `1 problem in test/fixtures/${name}`]});
	});

	it('checks the layout with the tutorial\'s own panes: a title the header cuts, a code line the pane cuts, a step that scrolls', () => {
		expect(check(fixture('bad-course-layout')).lines).toEqual([
			'test/fixtures/bad-course-layout/long.md:1: the title takes 3 rows of the 39-column lesson pane, where the header shows 2: shorten it',
			'test/fixtures/bad-course-layout/long.md:10: step 1 "Wide code": a code line of 46 columns is cut where the lesson pane is 39 columns wide',
			'test/fixtures/bad-course-layout/long.md:13: step 2 "Long step": on arrival, it takes 21 rows; the lesson pane has 16 in a terminal of 80 × 24: shorten it or split it',
			'3 problems in test/fixtures/bad-course-layout',
		]);
	});

	it('checks the layout only once the format is clean', () => {
		expect(checkCourse(fixture('bad-lessons')).problems.every(problem => !problem.message.includes('rows'))).toBe(true);
	});

	it('measures against the narrowest lesson pane and the design terminal\'s', () => {
		// Beside the lab the lesson gets 39 columns at its narrowest; alone, the whole 40-column terminal.
		expect(narrowestPane(true)).toBe(39);
		expect(narrowestPane(false)).toBe(40);
		expect(layout(designTerminal.columns, designTerminal.rows, true)).toMatchObject({lessonWidth: 39, lessonHeight: 22});
	});

	it('sums up a course the tutorial cannot load in one line, with the command that lists the rest', () => {
		const problem = {file: 'a.md', line: 3, message: 'the step has no text'};
		expect(courseProblemsLine([problem], 'my-course')).toBe(
			'the course in my-course has a problem: my-course/a.md:3: the step has no text. See it with: ka-tutorial check-lessons my-course',
		);
		expect(courseProblemsLine([problem, problem, problem], 'my-course')).toBe(
			'the course in my-course has 3 problems: my-course/a.md:3: the step has no text (and 2 more). See them all with: ka-tutorial check-lessons my-course',
		);
	});
});
