/**
 * The verdicts in Chinese, on the runs recorded from the real lab: the same outcome as in
 * English, the conditions and reasons in Chinese words, with the terms that stay English.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {readExercise} from '../../source/exercises/parse-exercise.js';
import {judgeRun, verdictReason} from '../../source/exercises/verdict.js';
import {exerciseHeader, verdictLines} from '../../source/exercises/verify-output.js';
import type {LabEvent, PacketEvent} from '../../source/lab/shared/events.js';
import {defaultLessonsDir, translationDir} from '../../source/lessons/course.js';
import {loadCourse} from '../../source/lessons/load.js';
import {catalogs} from '../../source/ui/messages/messages.js';
import {loadEvents} from '../helpers/events.js';

const {zh} = catalogs;
const course = loadCourse(translationDir(defaultLessonsDir(), 'zh'));
const runsDir = fileURLToPath(new URL('../fixtures/exercise-runs/', import.meta.url));
const runs = readdirSync(runsDir).filter(name => name.endsWith('.ndjson')).map(name => name.replace(/\.ndjson$/, ''));
const recordedRun = (name: string): LabEvent[] =>
	readFileSync(`${runsDir}${name}.ndjson`, 'utf8').trim().split('\n').map(line => JSON.parse(line) as LabEvent);

/** English words left in a Chinese text, beyond the terms, flags and names that stay so. */
const english = (text: string) =>
	text.match(/\b[a-z]{3,}\b/gi)?.filter(word => !/^(?:keepalive|socket|idle|intvl|probes|ETIMEDOUT|ECONNRESET|Keep|Alive|ACK|RST|SYN|FIN|INVALID|NAT|verify|list|tutorial|lessons)$/i.test(word)) ?? [];

describe('the exercises\' verdicts in Chinese', () => {
	it.each(runs)('judges %s as in English, every text and reason in Chinese', run => {
		const id = course.exercises.find(exercise => run.startsWith(exercise.id))!;
		const [idle, intvl, probes] = run.split('-').slice(-3).map(Number);
		const params = run.endsWith('recorded') ? id.solution : {idle: idle!, intvl: intvl!, probes: probes!};
		const events = recordedRun(run);
		const chinese = judgeRun(id, params, events, undefined, zh);
		expect(chinese.status).toBe(judgeRun(id, params, events).status);
		const lines = [...exerciseHeader(id, params, zh), ...verdictLines({verdict: chinese, events, aborted: false}, zh)];
		// The exercise's id is a name, as typed on the command line; a quoted line is the data the client sends.
		expect(lines.flatMap(line => english(line.replace(id.id, '').replaceAll(/"[^"]*"/g, '')))).toEqual([]);
	});

	it('says how far the RST came after the drop, against the goal', () => {
		const events = loadEvents('model-gt2');
		const source = '---\nid: x\ntitle: X\ngoal: X.\nfault:\n  - drop after 2 answered probes\ncheck:\n  - rst within 10 s of drop\nhints:\n  - H.\nsolution: {idle: 2, intvl: 1, probes: 3, why: W.}\n---\n\nText.\n';
		const exercise = readExercise('x.md', source).exercise!;
		const packets = events.filter((event): event is PacketEvent => event.type === 'packet');
		const drop = events.find(event => event.type === 'firewall' && event.action === 'drop')!.t;
		const rst = packets.find(packet => packet.kind === 'rst' && packet.from === 'server')!.t;
		const verdict = judgeRun(exercise, {idle: 2, intvl: 4, probes: 2}, events, undefined, zh);
		expect(verdict.results).toEqual([{text: 'RST 在丢包开始后 10 秒内出现', status: 'fail', reason: `RST 在丢包开始后 ${(rst - drop).toFixed(3)} 秒出现；目标是不超过 10 秒`}]);
		expect(verdictLines({verdict, events, aborted: false}, zh)[1]).toBe(`结论  未通过：${verdictReason(verdict)}`);
	});

	it('says where the client\'s line died: at the router that forgot the connection', () => {
		const events = recordedRun('keep-nat-entry-10-5-3');
		const nat = course.exercises.find(exercise => exercise.id === 'keep-nat-entry')!;
		const wrote = events.find(event => event.type === 'app' && event.side === 'client')!.t;
		const forgot = events.find(event => event.type === 'conntrack' && !event.present && event.t > 1)!.t;
		const verdict = judgeRun(nat, {idle: 10, intvl: 5, probes: 3}, events, {now: wrote + 2.001, ended: true}, zh);
		expect(verdict.results).toEqual([
			{
				text: '客户端写出的每一行都在 2 秒内被服务器的应用读到',
				status: 'fail',
				reason: `路由器在 ${forgot.toFixed(3)} 秒忘掉了这条连接；${wrote.toFixed(3)} 秒写出的那行没能离开路由器：进入 5 份，离开 0 份（INVALID 5）；路由器此前已以客户端的名义向服务器发出 1 个 RST（服务器的 socket：ECONNRESET）`,
			},
		]);
	});
});
