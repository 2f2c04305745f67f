import type {SegmentKind, Side} from '../../lab/shared/events.js';
import type {EngineNotice} from '../../lessons/step-engine.js';
import type {Condition} from '../../lessons/types.js';

/*
 * The Chinese words of the step engine: its conditions, and its notices (which the engine
 * gives as data, source/lessons/step-engine.ts).
 */

export const sidesZh: Record<Side, string> = {server: '服务器', client: '客户端'};

export const kindWordsZh: Record<SegmentKind, string> = {
	syn: 'SYN',
	'syn-ack': 'SYN-ACK',
	ack: '纯 ACK',
	data: '数据段',
	keepalive: 'keepalive 探测包',
	'keepalive-ack': 'keepalive ACK',
	rst: 'RST',
	fin: 'FIN',
	retransmission: '重传段',
};

/** "正在等待…", with how far a counted condition is. */
export const waitingZh = (what: string, have: number, need: number) => `正在等待${what}${need > 1 ? `（${have}/${need}）` : ''}。`;

/** A condition in words, for "正在等待…". */
export function conditionZh(condition: Condition): string {
	switch (condition.type) {
		case 'ready': {
			return '实验就绪';
		}

		case 'sockopt': {
			return `读回${sidesZh[condition.side]}的 socket 选项`;
		}

		case 'packet': {
			const after = condition.afterDrop ? '丢包开始后' : '';
			const from = condition.from === undefined ? '' : `${sidesZh[condition.from]}发出的`;
			// A number gets a space on either side, as Chinese technical text sets numbers in CJK text.
			const count = condition.count === 1 ? '一个' : ` ${condition.count} 个`;
			const at = condition.at === undefined ? '' : condition.at === 'router-in' ? '进入路由器的' : '离开路由器的';
			// A space before a Latin term (`keepalive 探测包`), none before a Chinese one (`重传段`).
			const kind = kindWordsZh[condition.kind];
			return `${after}${at}${from}${count}${/^[A-Za-z]/.test(kind) ? ' ' : ''}${kind}`;
		}

		case 'drop': {
			return '防火墙开始丢包';
		}

		case 'socket-error': {
			return `${sidesZh[condition.side]}的 socket 出错${condition.code === undefined ? '' : `（${condition.code}）`}`;
		}

		case 'probes-out': {
			return `${sidesZh[condition.side]}有 ${condition.atLeast} 个探测未获应答`;
		}

		case 'retransmits': {
			return `${sidesZh[condition.side]}的内核计到 ${condition.atLeast} 次重传`;
		}

		case 'app': {
			const did = {sent: '写出一行', received: '读到一行', error: '写入失败'}[condition.event];
			return `${sidesZh[condition.side]}的应用${did}${condition.count === 1 ? '' : ` ${condition.count} 次`}`;
		}

		case 'peer': {
			return condition.event === 'frozen' ? '客户端进程被暂停' : '客户端进程恢复运行';
		}

		case 'conntrack': {
			return condition.entry === 'present' ? '路由器的 conntrack 条目' : '路由器忘掉这条连接';
		}

		case 'invalid': {
			return `路由器把 ${condition.atLeast} 个包当作 INVALID 丢弃`;
		}
	}
}

/** The step engine's notice: why → did not go on, or a key that did nothing. */
export function engineNoticeZh(notice: EngineNotice): string {
	switch (notice.kind) {
		case 'waiting': {
			return waitingZh(conditionZh(notice.condition), notice.have, notice.need);
		}

		case 'press-first': {
			return `请先按 ${notice.key}。`;
		}

		case 'confirming': {
			return '正在等待实验确认…';
		}

		case 'answer-first': {
			return `请先作答：按 a–${notice.last}。`;
		}

		case 'already-done': {
			return '这一步已经完成，按 → 继续。';
		}

		case 'already-answered': {
			return '已经答过了，按 → 继续。';
		}

		case 'no-firewall': {
			return '这里没有防火墙工具，无法丢包。';
		}
	}
}
