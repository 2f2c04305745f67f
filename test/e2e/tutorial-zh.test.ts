import stringWidth from 'string-width';
import {beforeAll, expect, it} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {where} from '../helpers/privilege.js';
import {built, expectNothingLeft, start, walkToTheRst} from '../helpers/tmux-tutorial.js';

/*
 * The Chinese UI at 80 × 24 in a real terminal: lesson 6 up to the RST, every column where
 * it belongs although most characters take two columns.
 */

const width = 80;
/** layout(80, 24): the lesson pane's 39 columns, one blank column, the lab pane from column 40. */
const labColumn = 40;

/** The terminal column at which `part` starts in `row`, or -1. */
function columnOf(row: string, part: string): number {
	const at = row.indexOf(part);
	return at < 0 ? -1 : stringWidth(row.slice(0, at));
}

/** The row's text from terminal column `from` on (a double-width character straddling it is dropped). */
function fromColumn(row: string, from: number): string {
	let used = 0;
	let index = 0;
	for (const char of row) {
		if (used >= from) break;
		used += stringWidth(char);
		index += char.length;
	}

	return row.slice(index);
}

where('tmux', 'sandbox', 'firewall').describe('the Chinese tutorial in a terminal (tmux)', () => {
	beforeAll(() => {
		if (!built) throw new Error(`${cliPath} or its tutorial.js is missing: run \`npm run build\` first`);
	});

	it('keeps every column in place at 80 × 24 through lesson 6 to the RST; q leaves nothing', async () => {
		const session = start('--preset fast --lesson 6', width, 24, {lang: 'zh'});
		const first = await session.see('端口 6699');
		expect(first.split('\n')[0]).toMatch(/^剪断网线 +实验 (netns|userns)/);
		expect(first).toMatch(/→ 下一步 {2}← 上一步 {2}n\/p 换课 {2}m 目录 {2}r 重启实验 {2}\? 帮助 {2}q 退出/);
		session.record();

		await walkToTheRst(session, {dropDone: '✓ 完成：丢包已生效。', unanswered: '没人回应的探测', waited: '✓ 完成：已等到', reset: /重置[\s\S]*! +[\d.]+ S→C +RST/});
		const screen = await session.see(/服务器 ETIMEDOUT[\s\S]*客户端 ECONNRESET/);
		const rows = screen.split('\n');

		// Nothing wider than the terminal, nothing cut mid-character (tmux would show a lone half as a space).
		for (const row of rows) expect(stringWidth(row), row).toBeLessThanOrEqual(width);
		expect(screen).not.toContain('\uFFFD');

		// The border: the column between the panes is blank on every pane row, and the lab's rows start right after it.
		const paneRows = rows.slice(0, 22);
		for (const row of paneRows) expect(fromColumn(row, labColumn - 1).startsWith(' ') || stringWidth(row) < labColumn, row).toBe(true);
		expect(columnOf(rows[0]!, '实验 ')).toBe(labColumn);
		for (const label of ['定时器 ', '下一次 ', '探测   ', '报文 ', '已发探测 ']) {
			const row = paneRows.find(line => fromColumn(line, labColumn).startsWith(label));
			expect(row, `${label} at column ${labColumn}`).toBeDefined();
		}

		// The countdowns' values start in one column, one after their longest label (定时器, six columns).
		for (const label of ['定时器', '下一次', '探测']) {
			const row = paneRows.find(line => fromColumn(line, labColumn).startsWith(label))!;
			expect(fromColumn(row, labColumn + 6).startsWith(' '), row).toBe(true);
			expect(fromColumn(row, labColumn + 7).startsWith(' '), row).toBe(false);
		}

		// The packet list: its header and every row line up, column by column.
		const header = paneRows.findIndex(row => fromColumn(row, labColumn).includes('时间 方向 类型'));
		expect(header).toBeGreaterThan(0);
		const packets = paneRows.slice(header + 1).filter(row => /[*! ] +[\d.]+ [SC]→[SC]/.test(fromColumn(row, labColumn)));
		expect(packets.length).toBeGreaterThanOrEqual(4);
		expect(packets.at(-1)).toMatch(/! +[\d.]+ S→C +RST/);
		const headerRow = paneRows[header]!;
		for (const row of packets) {
			const lab = fromColumn(row, labColumn);
			// The time ends where 时间 ends; the direction starts under 方向, the kind under 类型.
			const time = /[\d.]+/.exec(lab)!;
			expect(labColumn + stringWidth(lab.slice(0, time.index + time[0].length)), row).toBe(columnOf(headerRow, '时间') + stringWidth('时间'));
			expect(labColumn + columnOf(lab, lab.includes('S→C') ? 'S→C' : 'C→S'), row).toBe(columnOf(headerRow, '方向'));
			expect(labColumn + columnOf(lab, /Keep-Alive|RST|SYN|ACK/.exec(lab)![0]), row).toBe(columnOf(headerRow, '类型'));
		}

		// The numbers, right-aligned, end where the header's seq and ack end.
		for (const name of ['seq', 'ack']) {
			const end = columnOf(headerRow, name) + stringWidth(name);
			for (const row of packets) {
				if (name === 'ack' && !/ACK|RST/.test(fromColumn(row, labColumn))) continue;
				expect(fromColumn(row, end - 1), row).toMatch(/^\d( |$)/);
			}
		}

		session.record();
		session.keys('q');
		await expectNothingLeft(session, 0);
		expect(session.screen()).toContain('已停止：实验的进程和规则都已清理干净。');
	}, 90_000);
});
