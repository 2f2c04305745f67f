import type {RouterSide, SegmentKind, Side} from '../lab/shared/events.js';
import {fail, list, type Place} from './problem.js';
import type {Condition} from './types.js';
import {kindLabels} from '../lab/model/kind-labels.js';

export const conditionNames = ['ready', 'sockopt', 'packet', 'drop', 'socket-error', 'probes-out', 'retransmits', 'app', 'peer', 'conntrack', 'invalid'] as const;
const appEvents = ['sent', 'received', 'error'] as const;
const routerSides: readonly RouterSide[] = ['router-in', 'router-out'];
const sides: readonly Side[] = ['server', 'client'];
// Every kind the decoder knows, so that a new kind is a word lessons may wait for.
const segmentKinds = Object.keys(kindLabels) as SegmentKind[];

/**
 * Parses a condition written as text (see lessons/FORMAT.md):
 * `ready` · `sockopt server` · `packet keepalive [from server] [after drop] [count 2]` ·
 * `drop` · `socket-error server [ETIMEDOUT]` · `probes-out server 2` · `retransmits server 3` ·
 * `app received server [count 2]` · `peer frozen|resumed` · `conntrack present|gone` · `invalid 3`.
 */
export function parseCondition(source: string, place: Place = {file: '(condition)', line: 1}): Condition {
	const words = source.trim().split(/\s+/);
	const [name, ...rest] = words;
	const side = (word: string | undefined, what: string): Side => {
		if (word === undefined) fail(place, `\`${name}\` needs a side (server or client): ${what}`);
		if (!(sides as readonly string[]).includes(word)) fail(place, `unknown side "${word}" in \`${source}\` (expected server or client)`);
		return word as Side;
	};

	const count = (word: string | undefined): number => {
		if (word === undefined || !/^\d+$/.test(word) || Number(word) < 1) {
			fail(place, `the count in \`${source}\` must be a whole number ≥ 1; got ${word === undefined ? 'nothing' : `"${word}"`}`);
		}

		return Number(word);
	};

	const noMore = (extra: string[]) => {
		if (extra.length > 0) fail(place, `unexpected "${extra.join(' ')}" in condition \`${source}\``);
	};

	switch (name) {
		case 'ready':
		case 'drop': {
			noMore(rest);
			return {type: name};
		}

		case 'sockopt': {
			const [who, ...extra] = rest;
			noMore(extra);
			return {type: 'sockopt', side: side(who, '`sockopt server`')};
		}

		case 'socket-error': {
			const [who, code, ...extra] = rest;
			noMore(extra);
			if (code !== undefined && !/^E[A-Z\d]+$/.test(code)) {
				fail(place, `"${code}" in \`${source}\` is not an errno name like ETIMEDOUT`);
			}

			return {type: 'socket-error', side: side(who, '`socket-error server ETIMEDOUT`'), ...(code === undefined ? {} : {code})};
		}

		case 'probes-out': {
			const [who, atLeast, ...extra] = rest;
			noMore(extra);
			return {type: 'probes-out', side: side(who, '`probes-out server 1`'), atLeast: count(atLeast)};
		}

		case 'retransmits': {
			const [who, atLeast, ...extra] = rest;
			noMore(extra);
			return {type: 'retransmits', side: side(who, '`retransmits server 3`'), atLeast: count(atLeast)};
		}

		case 'app': {
			const [event, who, ...extra] = rest;
			if (!(appEvents as readonly string[]).includes(event ?? '')) {
				fail(place, `\`app\` needs what the application did (${list(appEvents)}), then a side: \`app received server\`; got \`${source}\``);
			}

			const counted = extra[0] === 'count';
			noMore(extra.slice(counted ? 2 : 0));
			return {type: 'app', event: event as (typeof appEvents)[number], side: side(who, '`app received server`'), count: counted ? count(extra[1]) : 1};
		}

		case 'peer':
		case 'conntrack': {
			const words = name === 'peer' ? (['frozen', 'resumed'] as const) : (['present', 'gone'] as const);
			const [state, ...extra] = rest;
			if (!(words as readonly string[]).includes(state ?? '')) fail(place, `\`${name}\` needs ${words.join(' or ')}; got \`${source}\``);
			noMore(extra);
			return name === 'peer' ? {type: 'peer', event: state as 'frozen' | 'resumed'} : {type: 'conntrack', entry: state as 'present' | 'gone'};
		}

		case 'invalid': {
			const [atLeast, ...extra] = rest;
			noMore(extra);
			return {type: 'invalid', atLeast: count(atLeast)};
		}

		case 'packet': {
			return parsePacketCondition(source, rest, place, side, count);
		}

		default: {
			fail(place, `unknown condition ${JSON.stringify(name ?? '')} (expected ${list(conditionNames)})`);
		}
	}
}

function parsePacketCondition(
	source: string,
	rest: string[],
	place: Place,
	side: (word: string | undefined, what: string) => Side,
	count: (word: string | undefined) => number,
): Condition {
	const [kind, ...options] = rest;
	if (kind === undefined) fail(place, `\`packet\` needs a segment kind (${list(segmentKinds)})`);
	if (!(segmentKinds as readonly string[]).includes(kind)) {
		fail(place, `unknown segment kind "${kind}" in \`${source}\` (expected ${list(segmentKinds)})`);
	}

	const condition: Extract<Condition, {type: 'packet'}> = {type: 'packet', kind: kind as SegmentKind, count: 1};
	for (let index = 0; index < options.length; index++) {
		const word = options[index];
		if (word === 'from') {
			condition.from = side(options[++index], '`packet keepalive from server`');
		} else if (word === 'count') {
			condition.count = count(options[++index]);
		} else if (word === 'after' && options[index + 1] === 'drop') {
			condition.afterDrop = true;
			index++;
		} else if (word === 'at') {
			const at = options[++index];
			if (!(routerSides as readonly string[]).includes(at ?? '')) fail(place, `\`at\` in \`${source}\` names where the router saw it: ${routerSides.join(' or ')}`);
			condition.at = at as RouterSide;
		} else {
			fail(place, `unexpected "${word}" in condition \`${source}\` (expected from <side>, after drop, at router-in|router-out, count <n>)`);
		}
	}

	if (condition.at && condition.afterDrop) fail(place, `\`${source}\`: the router's copies are not counted by the drop; use either \`at\` or \`after drop\``);
	return condition;
}

/** A condition written as text again, in the form parseCondition reads (for messages that compare two). */
export function conditionText(condition: Condition): string {
	switch (condition.type) {
		case 'ready':
		case 'drop': {
			return condition.type;
		}

		case 'sockopt': {
			return `sockopt ${condition.side}`;
		}

		case 'socket-error': {
			return `socket-error ${condition.side}${condition.code === undefined ? '' : ` ${condition.code}`}`;
		}

		case 'probes-out': {
			return `probes-out ${condition.side} ${condition.atLeast}`;
		}

		case 'retransmits': {
			return `retransmits ${condition.side} ${condition.atLeast}`;
		}

		case 'app': {
			return `app ${condition.event} ${condition.side}${condition.count === 1 ? '' : ` count ${condition.count}`}`;
		}

		case 'peer': {
			return `peer ${condition.event}`;
		}

		case 'conntrack': {
			return `conntrack ${condition.entry}`;
		}

		case 'invalid': {
			return `invalid ${condition.atLeast}`;
		}

		case 'packet': {
			const from = condition.from === undefined ? '' : ` from ${condition.from}`;
			const at = condition.at === undefined ? '' : ` at ${condition.at}`;
			return `packet ${condition.kind}${from}${condition.afterDrop ? ' after drop' : ''}${at}${condition.count === 1 ? '' : ` count ${condition.count}`}`;
		}
	}
}
