import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';
import Output from '../../source/ui/ink/output.js';
import widestLine from '../../source/ui/ink/widest-line.js';
import {root} from '../helpers/cli.js';

type Clip = {x1?: number; x2?: number; y1?: number; y2?: number};
type Transformer = (line: string, index: number) => string;
type Drawn = {
	write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void;
	clip(clip: Clip): void;
	unclip(): void;
	get(): {output: string; height: number};
};
type Step = {op: 'write'; x: number; y: number; text: string; transformers: Transformer[]} | {op: 'clip'; clip: Clip} | {op: 'unclip'};
type Frame = {width: number; height: number; steps: Step[]};

// What the bundle replaces in Ink (its package exports only the index; widest-line is Ink's dependency).
const load = async <T>(file: string) => ((await import(pathToFileURL(path.join(root, 'node_modules', file)).href)) as {default: T}).default;
const InkOutput = await load<new (size: {width: number; height: number}) => Drawn>('ink/build/output.js');
const inkWidestLine = await load<(text: string) => number>('widest-line/index.js');

function draw(OutputClass: new (size: {width: number; height: number}) => Drawn, {width, height, steps}: Frame): {output: string; height: number} {
	const output = new OutputClass({width, height});
	for (const step of steps) {
		if (step.op === 'write') output.write(step.x, step.y, step.text, {transformers: step.transformers});
		else if (step.op === 'clip') output.clip(step.clip);
		else output.unclip();
	}

	return output.get();
}

/** A seeded generator, so that a failure is the same on every run. */
function random(seed: number) {
	let state = seed;
	const next = () => {
		state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
		return state / 2 ** 31;
	};

	return {int: (from: number, to: number) => from + Math.floor(next() * (to - from + 1)), pick: <T>(items: T[]) => items[Math.floor(next() * items.length)]!};
}

const pieces = ['keepalive', ' ', 'fires in 9.9 s', '界面', '探测', '🙂', 'é', '─────', '[##--]', '0.002 client → server'];
const styles = ['\u001B[1m', '\u001B[2m', '\u001B[31m', '\u001B[42m', '\u001B[38;5;208m', '\u001B[4m'];
const transformers: Transformer[] = [line => `\u001B[36m${line}\u001B[39m`, (line, index) => (index === 0 ? line.toUpperCase() : line), line => `\u001B[1m${line}\u001B[22m`];

function randomText(r: ReturnType<typeof random>): string {
	const lines = Array.from({length: r.int(1, 3)}, () => {
		let line = '';
		for (let i = r.int(0, 5); i > 0; i--) line += r.int(0, 2) === 0 ? `${r.pick(styles)}${r.pick(pieces)}\u001B[0m` : r.pick(pieces);
		return line;
	});
	return lines.join('\n');
}

function randomFrame(r: ReturnType<typeof random>, width: number, height: number): Frame {
	const steps: Step[] = [];
	let depth = 0;
	for (let i = r.int(1, 25); i > 0; i--) {
		const roll = r.int(0, 9);
		if (roll === 0) {
			const x1 = r.int(-2, width);
			const y1 = r.int(-2, height);
			const clip = r.int(0, 3) === 0 ? {x1, x2: x1 + r.int(0, width)} : {x1, x2: x1 + r.int(0, width), y1, y2: y1 + r.int(0, height)};
			steps.push({op: 'clip', clip});
			depth++;
		} else if (roll === 1 && depth > 0) {
			steps.push({op: 'unclip'});
			depth--;
		} else {
			const chosen = r.int(0, 2) === 0 ? [r.pick(transformers)] : [];
			steps.push({op: 'write', x: r.int(-3, width + 3), y: r.int(-2, height + 1), text: randomText(r), transformers: chosen});
		}
	}

	return {width, height, steps};
}

/** The next frame: mostly the same writes, a few changed or moved, as when a countdown ticks or a row's layout shifts. */
function tick(r: ReturnType<typeof random>, frame: Frame): Frame {
	const steps = frame.steps.map(step => {
		if (step.op !== 'write') return step;
		const roll = r.int(0, 9);
		return roll === 0 ? {...step, text: randomText(r)} : roll === 1 ? {...step, x: step.x + r.int(-1, 1)} : step;
	});
	return {...frame, steps};
}

describe('the bundle\'s Output', () => {
	it('draws what Ink\'s Output draws: styles, wide characters, clips, transformers, writes off the frame', () => {
		const r = random(7);
		for (let i = 0; i < 400; i++) {
			const frame = randomFrame(r, r.int(1, 40), r.int(1, 12));
			expect(draw(Output, frame), `frame ${i}`).toEqual(draw(InkOutput, frame));
		}
	});

	it('stays the same as Ink\'s from frame to frame when it reuses the rows that did not change', () => {
		const r = random(11);
		let frame = randomFrame(r, 30, 10);
		for (let i = 0; i < 300; i++) {
			// Now and then the terminal is resized: no row of the old width may be reused.
			frame = i % 50 === 49 ? {...randomFrame(r, r.int(10, 40), r.int(3, 12))} : tick(r, frame);
			expect(draw(Output, frame), `frame ${i}`).toEqual(draw(InkOutput, frame));
		}
	});

	it('draws an empty frame as Ink does', () => {
		const frame: Frame = {width: 5, height: 3, steps: []};
		expect(draw(Output, frame)).toEqual(draw(InkOutput, frame));
		expect(draw(Output, {width: 0, height: 0, steps: []})).toEqual(draw(InkOutput, {width: 0, height: 0, steps: []}));
	});
});

describe('the bundle\'s widest-line', () => {
	it('measures what widest-line measures, again and again', () => {
		const r = random(3);
		const texts = Array.from({length: 300}, () => randomText(r));
		for (const text of [...texts, ...texts, '', '\n', '界\nab', '\u001B[31m🙂\u001B[39m']) expect(widestLine(text), JSON.stringify(text)).toBe(inkWidestLine(text));
	});
});
