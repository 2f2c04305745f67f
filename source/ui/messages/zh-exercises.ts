import type {Anchor, ClientWrite, ExerciseCheck, FaultStep, Moment} from '../../exercises/types.js';
import type {LessonRun} from '../../lessons/types.js';
import {kindLabels} from '../../lab/model/kind-labels.js';
import type {KeepaliveParams} from '../../lab/shared/params.js';
import type {DropSpan, ExerciseMessages, LineAtRouter, ProbePair, RstWhen, TimelineRuns} from './en-exercises.js';
import {conditionZh, kindWordsZh, sidesZh as sides} from './zh-lesson-words.js';

/*
 * The exercises' words in Chinese (see en-exercises.ts). The segment kinds stay
 * Wireshark's (Keep-Alive, RST), as the learner meets them in a capture.
 */

/** A template whose text sets CJK and Latin letters or digits apart by a space, as Chinese technical text does: "RST 在", "等待 RST". */
const t = (strings: TemplateStringsArray, ...values: unknown[]) =>
	String.raw({raw: strings}, ...values)
		.replaceAll(/(\p{Script=Han})(?=[A-Za-z\d])/gu, '$1 ')
		.replaceAll(/([A-Za-z\d])(?=\p{Script=Han})/gu, '$1 ');
const s = (value: number) => t`${value.toFixed(3)} 秒`;
const goal = (value: number) => t`${value} 秒`;
const moment = (what: Moment) => (what.type === 'rst' ? 'RST' : t`第 ${what.n} 个探测`);
const anchor = (from: Anchor) =>
	from.type === 'connect' ? '握手' : from.type === 'last-answer' ? '服务器最后一次收到回应' : from.n === undefined ? '丢包开始' : t`第 ${from.n} 次丢包开始`;
const span = ({n, on, off}: DropSpan) => t`第 ${n} 次丢包（${s(on)}开始${off === null ? '' : t`，${s(off)}解除`}）`;
const rstCame = (rst: number, at: RstWhen) =>
	at.type === 'before'
		? t`RST 出现在 ${s(rst)}，早于任何一次丢包`
		: t`RST 出现在 ${s(rst)}，即第 ${at.drop.n} 次丢包开始（${s(at.drop.on)}）后 ${s(at.after)}${at.lifted && at.drop.off !== null ? t`，这次丢包已在 ${s(at.drop.off)}解除` : ''}`;
const came = (what: Moment, after: number, from: Anchor) => t`${moment(what)}在${anchor(from)}后 ${s(after)}出现`;
const pair = ({first, at, next, gap}: ProbePair) => t`第 ${first} 和第 ${first + 1} 个探测（${s(at)}和 ${s(next)}）相隔 ${s(gap)}`;
const times = (list: readonly number[]) => list.map(t => t.toFixed(3)).join('、');
const yours = ({probes, rst}: TimelineRuns) => t`你的运行：探测在 ${times(probes)} 秒${rst === null ? '，没有 RST' : t`，RST 在 ${rst.toFixed(3)} 秒`}`;
const runs = (both: TimelineRuns) => t`录下的运行：探测在 ${times(both.recorded.probes)} 秒，RST 在握手后 ${both.recorded.rst.toFixed(3)} 秒；${yours(both)}`;
const rangeZh = (knob: keyof KeepaliveParams, {min, max}: {min: number; max: number}) =>
	t`${knob} ${min === max ? min : t`${min}..${max}`}${knob === 'probes' ? '' : ' 秒'}`;

function faultZh(step: FaultStep): string {
	const after = step.after === 0 ? '握手完成后立即丢包' : t`服务器收到 ${step.after} 次探测回应后开始丢包`;
	return t`${after}${step.for === undefined ? '' : t`，${step.for} 秒后解除`}`;
}

const writeZh = ({line, after}: ClientWrite) => t`客户端连上 ${after} 秒后写出一行 "${line}"`;
const copies = (n: number) => t`${n} 份`;
const forgot = (router: LineAtRouter) => (router.forgottenAt === null ? '' : t`路由器在 ${s(router.forgottenAt)}忘掉了这条连接；`);
const written = (wrote: number) => t`${s(wrote)}写出的那行`;
const labRunZh = ({scenario, natTimeout, serverKeepalive}: LessonRun) =>
	[
		scenario,
		natTimeout === undefined ? undefined : t`路由器在连接空闲 ${natTimeout} 秒后忘掉它`,
		serverKeepalive === undefined ? undefined : t`服务器的 keepalive ${serverKeepalive ? '开启' : '关闭'}`,
	]
		.filter(part => part !== undefined)
		.join('，');

/** A condition of the check in words: the exercise files write them in the check's own notation. */
function checkZh(check: ExerciseCheck): string {
	switch (check.type) {
		case 'condition': {
			const {condition} = check;
			if (condition.type === 'socket-error' && condition.code !== undefined) return t`${sides[condition.side]}的 socket 因 ${condition.code} 出错`;
			if (condition.type !== 'packet') return conditionZh(condition);
			const who = condition.from === undefined ? '至少出现' : t`${sides[condition.from]}至少发出`;
			return t`${condition.afterDrop ? '丢包开始后' : ''}${who} ${condition.count} 个 ${kindWordsZh[condition.kind]}`;
		}

		case 'within': {
			return t`${moment(check.moment)}在${anchor(check.anchor)}后 ${goal(check.seconds)}内出现`;
		}

		case 'near': {
			return t`${moment(check.moment)}在${anchor(check.anchor)}后 ${goal(check.seconds)}出现（允许内核定时器的误差）`;
		}

		case 'probe-gaps': {
			return t`相邻探测至少相隔 ${goal(check.seconds)}`;
		}

		case 'survives': {
			return '连接挺过每一次丢包';
		}

		case 'survives-drop': {
			return t`连接挺过第 ${check.n} 次丢包`;
		}

		case 'timeline': {
			return '时间线与录下的运行一致';
		}

		case 'arrives': {
			return t`客户端写出的每一行都在 ${goal(check.seconds)}内被服务器的应用读到`;
		}
	}
}

export const exercisesZh: ExerciseMessages = {
	checkText: (check, _written) => checkZh(check),
	range: rangeZh,
	header: {
		exercise: (id, title) => t`练习  ${id}：${title}`,
		goal: text => t`目标  ${text}`,
		values: (params, allowed) => t`取值  idle ${params.idle} 秒，intvl ${params.intvl} 秒，probes ${params.probes}（允许：${allowed.join('，')}）`,
		lab: run => t`实验  ${labRunZh(run)}`,
		fault: (steps, writes) => t`故障  ${[...steps.map(faultZh), ...writes.map(writeZh)].join('；然后')}`,
		check: texts => t`检查  ${texts.join('；')}`,
	},
	result: (text, reason) => `${text}：${reason}`,
	verdict: (status, reason) => t`结论  ${{pass: '通过', fail: '未通过', pending: '尚无定论'}[status]}：${reason}`,
	endedEarly: why => t`      运行提前结束：${why}`,
	failure: {
		labStopped: '检查还没有结论，实验就停止了',
		stopped: '检查还没有结论就被停止了',
		tooLong: limit => t`运行已经持续了 ${limit} 秒，这是内核规则对这组取值和这个故障计划所允许的最长时间`,
	},
	noExercise: (id, ids) => t`没有名为 "${id}" 的练习；${ids.length === 0 ? '这个课程没有练习' : t`现有的练习是 ${ids.join('、')}`}（见 ka-tutorial verify --list）。`,
	notAllowed: (knob, value, range, id) => t`在练习 ${id} 中，--${knob} 必须在 ${range.min} 到 ${range.max} ${knob === 'probes' ? '' : '秒'}之间（${rangeZh(knob, range)}）；收到的是 ${value}。`,
	noExercises: '这个课程没有练习',
	packetsSeen: (seen, kind, from, afterDrop, least) =>
		t`${afterDrop ? '丢包开始后' : ''}${from === undefined ? '出现了' : t`${sides[from]}发出了`} ${seen} 个 ${kindLabels[kind]}；目标是至少 ${least} 个`,
	socketError: (side, errors, code) => t`${sides[side]}的 socket ${errors.length === 0 ? '没有出错' : t`因 ${errors.join('、')} 出错`}；目标是${code === undefined ? '出错' : t` ${code}`}`,
	probesOut: (most, side, least) => t`内核在${sides[side]}的 socket 上最多记到 ${most} 个未获应答的探测；目标是至少 ${least} 个`,
	met: met => (met ? '已满足' : '未满足'),
	dropNeverCame: n => t`第 ${n} 次丢包始终没有发生`,
	rstCame,
	rstBeforeDrop: (rst, at, n) => t`${rstCame(rst, at)}：第 ${n} 次丢包始终没有发生`,
	neverLifted: drop => t`${span(drop)}一直没有解除`,
	neverHeardAgain: drop => t`${span(drop)}之后，服务器再也没有收到客户端的消息`,
	survivedDrop: (drop, lasted, heard) => t`${span(drop)}持续了 ${s(lasted)}；服务器在 ${s(heard)}重新收到了客户端的消息，早于任何 RST`,
	someDrops: (came, planned) => t`计划的 ${planned} 次丢包只发生了 ${came} 次`,
	survived: (heard, lifted) => t`最后一次丢包在 ${s(lifted)}解除，之后服务器在 ${s(heard)}收到了客户端的消息；没有 RST`,
	anchorNeverCame: from =>
		from.type === 'connect' ? '握手始终没有完成' : from.type === 'last-answer' ? '服务器始终没有收到过回应' : from.n === undefined ? '丢包始终没有开始' : t`第 ${from.n} 次丢包始终没有发生`,
	waitingFor: what => t`正在等待${moment(what)}`,
	undecided: (what, from, waited) => t`尚无定论：运行在${anchor(from)}后 ${s(waited)}就结束了，那时还没到${moment(what)}该出现的时候`,
	noneWithin: (what, most, from, at) => t`${anchor(from)}（${s(at)}）后 ${goal(most)}内没有出现${moment(what)}`,
	cameBefore: (what, by, from, most) => t`${moment(what)}比${anchor(from)}还早 ${s(by)}；目标是在它之后最多 ${goal(most)}`,
	cameWithin: (what, after, from, most) => t`${came(what, after, from)}；目标是不超过 ${goal(most)}`,
	givesUpFirst: (what, probes) => t`按你的取值，服务器在${moment(what)}之前就会放弃：模型预测 ${probes} 个探测没有应答后就发出 RST`,
	noneAfter: (what, waited, from) => t`${anchor(from)}后 ${s(waited)}仍没有出现${moment(what)}`,
	aimedElsewhere: (what, after, from, target, aim) => t`${came(what, after, from)}；目标是 ${goal(target)}，但按你的取值它会落在 ${s(aim)}（模型的预测）`,
	near: (what, after, from, target, off, slack) =>
		t`${came(what, after, from)}：比目标 ${goal(target)}${off < 0 ? '早' : '晚'}了 ${s(Math.abs(off))}，${slack.within ? '在' : '超出了'}内核对你这组取值的误差范围（最多晚 ${s(slack.late)}、早 ${s(slack.early)}）${slack.within ? '之内' : ''}`,
	noGap: probes => t`${probes === 0 ? '没有发出任何探测' : '只发出了一个探测'}：没有间隔可量`,
	gapTooShort: (closest, least) => t`${pair(closest)}；目标是至少 ${goal(least)}`,
	gapsWide: (closest, least) => t`靠得最近的两个：${pair(closest)}；目标是至少 ${goal(least)}`,
	gapsSoFar: closest => t`到目前为止靠得最近的两个：${pair(closest)}`,
	timelineOutOfStep: (what, at, other, both) =>
		t`${moment(what)}出现在握手后 ${s(at)}，而录下的运行在这个位置是${other.type === 'rst' ? '它的 RST' : moment(other)}（${runs(both)}）`,
	timelineApart: (what, at, was, tolerance, both) =>
		t`${moment(what)}出现在握手后 ${s(at)}，录下的运行是 ${s(was)}：相差 ${s(Math.abs(at - was))}，超出了内核 ${s(tolerance)}的误差范围（${runs(both)}）`,
	timelineNoRst: both => t`没有出现 RST（${runs(both)}）`,
	timelineSoFar: both => t`到目前为止与录下的一致：${yours(both)}`,
	lineDue: after => t`正在等待客户端在连上 ${goal(after)}后写出那一行`,
	lineUnwritten: after => t`尚无定论：客户端还没写出那一行（应在连上 ${goal(after)}后），运行就结束了`,
	lineInFlight: wrote => t`正在等待${written(wrote)}`,
	lineUndecided: (wrote, waited) => t`尚无定论：${written(wrote)}写出 ${s(waited)}后运行就结束了，还没到判定的时候`,
	lineLost: (wrote, within, router) => {
		if (router === null) return t`${written(wrote)}过了 ${goal(within)}，服务器的应用仍没有读到`;
		if (router.out > 0) return t`${written(wrote)}已经离开路由器（${copies(router.out)}），但过了 ${goal(within)}服务器的应用仍没有读到`;
		const reset = router.resets === 0 ? '' : t`；路由器此前已以客户端的名义向服务器发出 ${router.resets} 个 RST${router.serverErrors.length === 0 ? '' : t`（服务器的 socket：${router.serverErrors.join('、')}）`}`;
		return t`${forgot(router)}${written(wrote)}没能离开路由器：进入 ${copies(router.into)}，离开 0 份（INVALID ${router.invalid}）${reset}`;
	},
	lineLate: (wrote, read, within, router) => t`${written(wrote)}在 ${s(read)}才被服务器的应用读到，超过了 ${goal(within)}${router === null ? '' : t`（INVALID ${router.invalid}）`}`,
	lineArrived: (wrote, read, router) =>
		t`${written(wrote)}在 ${s(read)}被服务器的应用读到${router === null ? '' : router.forgottenAt === null ? t`；路由器始终没有忘掉这条连接（INVALID ${router.invalid}）` : t`；${forgot(router).slice(0, -1)}（INVALID ${router.invalid}）`}`,
	timelineMatches: both => t`每个探测和 RST 都落在录下运行的内核误差范围内（${runs(both)}）`,
};
