/** One thing wrong with a course: where (the file inside the course folder, 1-based line) and what. */
export type Problem = {file: string; line: number; message: string};

/** `file:line: message`, the form editors and terminals jump to. `dir` is put before the file when given. */
export function formatProblem(problem: Problem, dir = ''): string {
	return `${dir === '' ? '' : `${dir.replace(/\/+$/, '')}/`}${problem.file}:${problem.line}: ${problem.message}`;
}

/** Bad course content: every problem found, the first one in the message. */
export class LessonError extends Error {
	readonly file: string;
	readonly line: number;
	constructor(readonly problems: readonly [Problem, ...Problem[]]) {
		super(formatProblem(problems[0]));
		this.name = 'LessonError';
		this.file = problems[0].file;
		this.line = problems[0].line;
	}
}

/** What was read when nothing is wrong with it (readers return a value whenever they find no problem); else a LessonError. */
export function orThrow<T>(value: T | undefined, problems: readonly Problem[]): T {
	const [first, ...rest] = problems;
	if (first) throw new LessonError([first, ...rest]);
	return value!;
}

/** Where a problem is, for the messages: `file:line: step 3 "Title": …`. */
export type Place = {file: string; line: number; step?: {index: number; title: string}};

export function fail(place: Place, message: string): never {
	const step = place.step ? `step ${place.step.index + 1} "${place.step.title}": ` : '';
	throw new LessonError([{file: place.file, line: place.line, message: `${step}${message}`}]);
}

/** Runs `read`; the problems of a LessonError it throws go into `problems`, and the result is undefined. */
export function collecting<T>(problems: Problem[], read: () => T): T | undefined {
	try {
		return read();
	} catch (error) {
		if (!(error instanceof LessonError)) throw error;
		problems.push(...error.problems);
		return undefined;
	}
}

/** Names for a message: `a, b, c`. */
export const list = (items: readonly string[]): string => items.join(', ');

/** A count for a message: `1 step`, `3 steps`. */
export const counted = (count: number, what: string): string => `${count} ${what}${count === 1 ? '' : 's'}`;

/** One line for a course that cannot be loaded: its first problem, how many more, and the command that lists them. */
export function courseProblemsLine(problems: readonly [Problem, ...Problem[]], dir: string): string {
	const more = problems.length - 1;
	return `the course in ${dir} has ${more === 0 ? 'a problem' : `${problems.length} problems`}: ${formatProblem(problems[0], dir)}${more === 0 ? '' : ` (and ${more} more)`}. See ${more === 0 ? 'it' : 'them all'} with: ka-tutorial check-lessons ${dir}`;
}
