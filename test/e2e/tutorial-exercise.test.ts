import {beforeAll, expect, it} from 'vitest';
import {defaultLessonsDir} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import {cliPath} from '../helpers/cli.js';
import {where} from '../helpers/privilege.js';
import {built, expectNothingLeft, start} from '../helpers/tmux-tutorial.js';

/*
 * An exercise in a real terminal (tmux): the first one ("Notice a vanished client"), its
 * solution's values typed into the form, run on the real lab, graded by the real kernel.
 */

where('tmux', 'sandbox', 'firewall').describe('an exercise in a terminal (tmux)', () => {
	beforeAll(() => {
		if (!built) throw new Error(`${cliPath} or its tutorial.js is missing: run \`npm run build\` first`);
	});

	// Lessons 8–13 come between lesson 7 and the exercises.
	const lessonsAfter7 = loadCourse(defaultLessonsDir()).lessons.length - 7;

	it('passes with the solution values at 80 × 24: the live lab beside, every condition ✓; q leaves nothing', async () => {
		const session = start('--lesson 7', 80, 24);
		await session.see('Summary and quiz');
		// The menu lists the exercises after the lessons; the first is one row below the last lesson.
		session.keys('m');
		await session.see(/Exercises[\s\S]*Notice a vanished client/);
		session.keys(...Array.from({length: lessonsAfter7 + 1}, () => 'Down'), 'Enter');
		await session.see(/Notice a vanished client[\s\S]*Exercise 1\/6/);
		session.keys('4', 'Tab', '3', 'Tab', '3');
		await session.see(/idle \[4 +\] s +intvl \[3 +\] s +▸probes \[3 +\]/);
		session.keys('Enter');
		await session.see(/keepalive +idle 4 s +intvl 3 s +probes 3/);
		// The first probe, answered, at about 4 s: the lab's processes are all up.
		await session.see('Keep-Alive ACK', 15_000);
		session.record();
		const done = await session.see(/✓ Pass: /, 40_000);
		expect(done).toMatch(/✓ packet keepalive from server after/);
		expect(done).toMatch(/✓ rst within 20 s of drop/);
		expect(done).toMatch(/✓ socket-error server ETIMEDOUT/);
		expect(done).toMatch(/Exercise 1\/6 +✓ passed/);
		expect(done).toMatch(/! +[\d.]+ S→C RST/);
		for (const line of done.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
		session.keys('q');
		await expectNothingLeft(session, 0);
	}, 90_000);
});
