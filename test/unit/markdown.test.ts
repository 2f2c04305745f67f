import path from 'node:path';
import type {Paragraph} from 'mdast';
import {describe, expect, it} from 'vitest';
import {factsFromEvents} from '../../source/lessons/facts.js';
import {parseMarkdown} from '../../source/lessons/markdown-parse.js';
import {defaultLessonsDir} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import {inlineSpans, type Line, lineWidth, markdownLines, wrapSpans} from '../../source/ui/lesson/markdown.js';
import {loadEvents} from '../helpers/events.js';

const tree = (text: string) => parseMarkdown(text).children;
/** The inline nodes of text that is one paragraph. */
const inline = (text: string) => (tree(text)[0] as Paragraph).children;
const texts = (lines: Line[]) => lines.map(line => line.map(span => span.text).join(''));

describe('light Markdown, drawn from the lesson tree', () => {
	it('measures and wraps text by terminal columns: a CJK character takes two', () => {
		const text = '服务器在空闲 5 秒之后发出第一个 keepalive 探测包，客户端的内核会回应它。';
		const lines = wrapSpans(inlineSpans(inline(text), {}), 12);
		for (const line of lines) expect(lineWidth(line), texts([line])[0]).toBeLessThanOrEqual(12);
		// Nothing lost or doubled: the words come back in order, only the breaks are new.
		expect(texts(lines).join('').replaceAll(' ', '')).toBe(text.replaceAll(' ', ''));
		expect(lineWidth([{text: '探测包'}])).toBe(6);
		// A code line too long for the pane is cut by columns, never through a character.
		for (const line of markdownLines(tree('```\nsetsockopt(fd, 保持连接);\n```'), {}, 10)) expect(lineWidth(line)).toBeLessThanOrEqual(10);
	});

	it('styles code, emphasis and strong text, and shows a fact\'s value as it is', () => {
		expect(inlineSpans(inline('Press `d` to *drop*, **now**: {{drop.command}}'), {'drop.command': 'a*b`c'})).toEqual([
			{text: 'Press '},
			{text: 'd', style: {code: true}},
			{text: ' to '},
			{text: 'drop', style: {em: true}},
			{text: ', '},
			{text: 'now', style: {strong: true}},
			{text: ': '},
			{text: 'a*b`c', style: {fact: true}},
		]);
		// A lone star or backtick is just a character.
		expect(inlineSpans(inline('2 * 3 and a ` tick'), {})).toEqual([{text: '2 * 3 and a ` tick'}]);
	});

	it('shows a fact not known yet as …, and one in inline code as code', () => {
		expect(inlineSpans(inline('at {{rst.t}} s: `{{drop.command}}`'), {'drop.command': 'iptables -F'})).toEqual([
			{text: 'at '},
			{text: '…', style: {missing: true}},
			{text: ' s: '},
			{text: 'iptables -F', style: {code: true, fact: true}},
		]);
	});

	it('lays a text out again when a fact it shows or the width changes, not for a fact it does not show', () => {
		const nodes = tree('Due in {{kernel.server.dueIn}} s.');
		const first = markdownLines(nodes, {'kernel.server.dueIn': '34.00', 'kernel.server.sinceRecv': '21.00'}, 39);
		expect(markdownLines(nodes, {'kernel.server.dueIn': '34.00', 'kernel.server.sinceRecv': '22.00'}, 39)).toBe(first);
		expect(texts(markdownLines(nodes, {'kernel.server.dueIn': '33.00'}, 39))).toEqual(['Due in 33.00 s.']);
		expect(texts(markdownLines(nodes, {}, 39))).toEqual(['Due in … s.']);
		expect(texts(markdownLines(nodes, {'kernel.server.dueIn': '33.00'}, 10))).toEqual(['Due in', '33.00 s.']);
	});

	it('lays out paragraphs, list items, code blocks and headings; a blank line in the source stays one blank row', () => {
		const lines = markdownLines(tree('One\ntwo.\n\n\n- a\n- b\n\n```sh\nls  -l\n```\n\n# Heading'), {}, 30);
		expect(texts(lines)).toEqual(['One two.', '', '• a', '• b', '', 'ls  -l', '', 'Heading']);
		expect(lines.at(-1)).toEqual([{text: 'Heading', style: {strong: true}}]);
		expect(lines[5]).toEqual([{text: 'ls  -l', style: {code: true}}]);
	});

	it('numbers ordered items, nests lists two columns in, and starts a row at a hard line break', () => {
		expect(texts(markdownLines(tree('3. three\n4. four\n   - under four\n\nfirst\\\nsecond'), {}, 30))).toEqual([
			'3. three',
			'4. four',
			'  • under four',
			'',
			'first',
			'second',
		]);
	});

	it('wraps at word boundaries with a hanging indent, and cuts only words longer than a line', () => {
		const lines = wrapSpans([{text: 'the quick brown fox jumps over the lazy dog'}], 12, [{text: '• '}], [{text: '  '}]);
		expect(texts(lines)).toEqual(['• the quick', '  brown fox', '  jumps over', '  the lazy', '  dog']);
		expect(texts(wrapSpans([{text: 'a 0123456789abcdef'}], 8))).toEqual(['a', '01234567', '89abcdef']);
		expect(texts(markdownLines(tree('- the quick brown fox'), {}, 12))).toEqual(['• the quick', '  brown fox']);
	});

	it('breaks a line of Chinese between any two characters, never before closing or after opening punctuation', () => {
		// No spaces: the break falls where the width runs out, not at the end of the paragraph.
		expect(texts(wrapSpans([{text: '服务器发出探测包客户端回应'}], 10))).toEqual(['服务器发出', '探测包客户', '端回应']);
		// 。and ， never start a line: the character before them goes along.
		expect(texts(wrapSpans([{text: '一二三四，五六七八。'}], 8))).toEqual(['一二三', '四，五六', '七八。']);
		// （ never ends a line, ） never starts one.
		expect(texts(wrapSpans([{text: '一二三（四）五'}], 8))).toEqual(['一二三', '（四）五']);
		expect(texts(wrapSpans([{text: '一二（三四）'}], 10))).toEqual(['一二（三', '四）']);
		// 」 and 、 too.
		expect(texts(wrapSpans([{text: '「一二三」、四'}], 8))).toEqual(['「一二', '三」、四']);
	});

	it('keeps a Latin word in Chinese text whole, and breaks beside it', () => {
		const lines = texts(wrapSpans([{text: '内核发出keepalive探测包'}], 12));
		expect(lines).toEqual(['内核发出', 'keepalive探', '测包']);
		// With the spaces Chinese technical text puts around Latin words, a break there takes the space.
		expect(texts(wrapSpans([{text: '服务器发出 keepalive 探测包'}], 12))).toEqual(['服务器发出', 'keepalive 探', '测包']);
		// A styled word (inline code) is one word too; the break beside it keeps both styles.
		const styled = wrapSpans(inlineSpans(inline('按下`d`键丢包'), {}), 5);
		expect(texts(styled)).toEqual(['按下d', '键丢', '包']);
		expect(styled[0]).toEqual([{text: '按下'}, {text: 'd', style: {code: true}}]);
	});

	it('leaves English text wrapped as before: breaks only at spaces', () => {
		expect(texts(wrapSpans([{text: 'a (b) c, d.'}], 5))).toEqual(['a (b)', 'c, d.']);
	});

	it('lays out every step of the Chinese course within 39 columns', () => {
		const course = loadCourse(path.join(defaultLessonsDir(), 'zh'));
		const facts = factsFromEvents(loadEvents('fast-drop'));
		for (const lesson of course.lessons) {
			for (const step of lesson.steps) {
				for (const line of markdownLines(step.text, facts, 39)) expect(lineWidth(line), `${lesson.id}: ${step.title}`).toBeLessThanOrEqual(39);
			}
		}
	});

	it('keeps code lines as they are, cut only where the pane is narrower', () => {
		expect(texts(markdownLines(tree('```\n  indented  code\n```'), {}, 10))).toEqual(['  indented', '  code']);
	});

	it('lays out every step of the course within 39 columns', () => {
		const course = loadCourse(defaultLessonsDir());
		const facts = factsFromEvents(loadEvents('fast-drop'));
		for (const lesson of course.lessons) {
			for (const step of lesson.steps) {
				for (const line of markdownLines(step.text, facts, 39)) expect(lineWidth(line), `${lesson.id}: ${step.title}`).toBeLessThanOrEqual(39);
			}
		}
	});
});
