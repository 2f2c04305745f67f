import type {Messages} from '../ui/messages/messages.js';

type Words = Messages['doctor'];

/** What of a lesson tells whether it needs the drop (a course's Lesson has it all). */
type LessonShape = {lab: boolean; run?: {scenario?: string}; steps: ReadonlyArray<{kind: string; action?: string}>};

/** The course's lab lessons by what they need of the firewall, as 1-based lesson numbers. */
export type LessonNeeds = {
	/** Lab lessons that only watch: they run without iptables or nft. */
	watching: number[];
	/** Lessons that switch the drop on, or run the NAT router (its masquerade and INVALID rules). */
	dropping: number[];
};

export function lessonNeeds(lessons: readonly LessonShape[]): LessonNeeds {
	const needs: LessonNeeds = {watching: [], dropping: []};
	lessons.forEach((lesson, index) => {
		if (!lesson.lab) return;
		const drops = lesson.run?.scenario === 'nat' || lesson.steps.some(step => step.kind === 'prompt' && step.action === 'drop-on');
		(drops ? needs.dropping : needs.watching).push(index + 1);
	});
	return needs;
}

/** "lesson 6", "lessons 3–5", "lessons 2, 4–5" (in Chinese "第 2、4–5 课"). */
export function lessonList(numbers: readonly number[], words: Words): string {
	const runs: string[] = [];
	for (let i = 0; i < numbers.length; ) {
		let end = i;
		while (numbers[end + 1] === numbers[end]! + 1) end++;
		runs.push(end === i ? `${numbers[i]}` : `${numbers[i]}–${numbers[end]}`);
		i = end + 1;
	}

	return words.lessons(runs, numbers.length);
}

/** What still works where the lab cannot drop: "lessons 3–5 still run, since they only watch; lesson 6 cannot drop". */
export function withoutDrop({watching, dropping}: LessonNeeds, words: Words): string {
	return words.withoutDrop(watching.length > 0 ? lessonList(watching, words) : null, watching.length, lessonList(dropping, words));
}
