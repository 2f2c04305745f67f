import {countOf} from '../../lab/model/run-state.js';
import type {AppEvent, Side} from '../../lab/shared/events.js';
import type {Messages} from '../messages/messages.js';
import {columnsOf, cutTo, formatSeconds, formatT, packSegments, type Segment} from './format.js';
import type {LabView} from './lab-view.js';

/** The longest line text quoted in the status before it is cut. */
const quotedColumns = 14;

/**
 * The status rows only some scenarios have, each only once the run reports it: the NAT
 * router (its conntrack entry, its INVALID rule, the client's data in and out of it), the
 * client's stopped process, the server's retransmissions, and what the applications wrote
 * and read. Pure; a run of the article's experiment has none of them.
 */
export function scenarioLines(view: LabView, width: number, m: Messages): Segment[][] {
	return [router(view, m), frozen(view, m), retransmissions(view, m), applications(view, m)].flatMap(segments =>
		segments.length === 0 ? [] : packSegments(segments, width),
	);
}

function router({router: r}: LabView, m: Messages): Segment[] {
	if (!r.conntrack && !r.invalid) return [];
	const entry = r.conntrack;
	const segments: Segment[] = [
		entry?.present
			? {text: m.lab.conntrack(entry.state ?? '?', formatSeconds(entry.timeout ?? 0, m.units)), bold: true}
			: r.forgottenAt === null
				? {text: m.lab.noConntrack, dim: true}
				: {text: m.lab.forgotten(formatT(r.forgottenAt)), color: 'red', bold: true},
	];
	if (r.invalid) segments.push({text: m.lab.invalid(r.invalid.dropped), ...(r.invalid.dropped > 0 ? {color: 'red', bold: true} : {})});
	const data = (at: 'router-in' | 'router-out') => countOf(r.counts[at], 'data', 'client') + countOf(r.counts[at], 'retransmission', 'client');
	if (data('router-in') > 0) segments.push({text: m.lab.routerData(data('router-in'), data('router-out'))});
	return segments;
}

function frozen({client}: LabView, m: Messages): Segment[] {
	if (client.frozenAt === null) return [];
	const state: Segment = client.frozen
		? {text: m.lab.frozen(formatT(client.frozenAt)), color: 'yellow', bold: true}
		: {text: m.lab.resumed(formatT(client.resumedAt ?? client.frozenAt))};
	return client.answeredWhileFrozen > 0 ? [state, {text: m.lab.answeredWhileFrozen(client.answeredWhileFrozen)}] : [state];
}

function retransmissions({kernel, inFlight}: LabView, m: Messages): Segment[] {
	const reading = kernel.server;
	const counted = reading?.retransmits ?? 0;
	if (counted === 0 && inFlight.retransmissions === 0) return [];
	const segments: Segment[] = [{text: m.lab.retransmits(counted), bold: true}];
	if (reading?.rto !== undefined) segments.push({text: m.lab.rto(formatSeconds(reading.rto, m.units))});
	if (reading?.backoff !== undefined) segments.push({text: m.lab.backoff(reading.backoff)});
	segments.push({text: m.lab.onTheWire(inFlight.retransmissions), dim: true});
	return segments;
}

function applications({app}: LabView, m: Messages): Segment[] {
	const sides: Side[] = ['server', 'client'];
	return sides.flatMap(side => {
		const {sent, received, errors} = app[side];
		const line = (event: AppEvent | undefined, words: (who: string, text: string, at: string) => string): Segment[] =>
			event ? [{text: words(m.sides[side], quoted(event.text), formatT(event.t))}] : [];
		const error = errors.at(-1);
		return [
			...line(sent.at(-1), m.lab.wrote),
			...line(received.at(-1), m.lab.read),
			...(error === undefined ? [] : [{text: m.lab.writeFailed(m.sides[side], error), color: 'red', bold: true}]),
		];
	});
}

/** A line as the application wrote it, without its line end, cut to fit. */
function quoted(text: string | undefined): string {
	const line = (text ?? '').replace(/\r?\n$/, '');
	return columnsOf(line) <= quotedColumns ? line : `${cutTo(line, quotedColumns - 1)}…`;
}
