import {clientDataAt, lineOf} from '../../lab/model/run-state.js';
import type {AppEvent, Side} from '../../lab/shared/events.js';
import {wrapSpans} from '../lesson/markdown.js';
import type {Messages} from '../messages/messages.js';
import {columnsOf, cutTo, formatSeconds, formatT, packSegments, type Segment} from './format.js';
import type {LabView} from './lab-view.js';

/** The fewest columns a quoted line keeps, however narrow the pane: enough to tell lines apart. */
const minQuoted = 4;

/**
 * The status rows only some scenarios have, each only once the run reports it: the NAT
 * router (its conntrack entry, its INVALID rule, the client's data in and out of it), the
 * client's stopped process, the server's retransmissions, and what the applications wrote
 * and read. Pure; a run of the article's experiment has none of them.
 */
export function scenarioLines(view: LabView, width: number, m: Messages): Segment[][] {
	return [router(view, m), frozen(view, m), retransmissions(view, m), applications(view, width, m)].flatMap(segments =>
		segments.length === 0 ? [] : fitSegments(segments, width),
	);
}

/**
 * packSegments, but a segment wider than the pane is broken at its spaces onto rows of its
 * own: the pane truncates a row, and that would cut off the end, often the time.
 */
function fitSegments(segments: Segment[], width: number): Segment[][] {
	const lines: Segment[][] = [];
	let fitting: Segment[] = [];
	for (const segment of segments) {
		if (columnsOf(segment.text) <= width) {
			fitting.push(segment);
			continue;
		}

		lines.push(...packSegments(fitting, width));
		fitting = [];
		const {text, ...style} = segment;
		for (const part of balancedRows(text, width)) lines.push([{...style, text: part}]);
	}

	return [...lines, ...packSegments(fitting, width)];
}

/** `text` wrapped into as few rows as `width` allows, but as even as can be, so no lone word is left on the last row. */
function balancedRows(text: string, width: number): string[] {
	const wrap = (columns: number) => wrapSpans([{text}], columns).map(row => row.map(span => span.text).join('').trimEnd());
	const fewest = wrap(width).length;
	for (let columns = Math.ceil(columnsOf(text) / fewest); columns < width; columns++) {
		const rows = wrap(columns);
		if (rows.length <= fewest) return rows;
	}

	return wrap(width);
}

function router(view: LabView, m: Messages): Segment[] {
	const r = view.router;
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
	const into = clientDataAt(view, 'router-in');
	if (into > 0) segments.push({text: m.lab.routerData(into, clientDataAt(view, 'router-out'))});
	return segments;
}

function frozen({client}: LabView, m: Messages): Segment[] {
	if (client.frozenAt === null) return [];
	const state: Segment = client.frozen
		? {text: m.lab.frozen(formatT(client.frozenAt)), color: 'yellow', bold: true}
		: {text: m.lab.resumed(formatT(client.resumedAt ?? client.frozenAt))};
	return client.answeredWhileFrozen > 0 ? [state, {text: m.lab.answeredWhileFrozen(client.answeredWhileFrozen)}] : [state];
}

/** The kernel's own count and timer from its newest reading; the capture's count only where it tells something else (a tail loss probe, say). */
function retransmissions({kernel, inFlight}: LabView, m: Messages): Segment[] {
	const reading = kernel.server;
	const counted = reading?.retransmits;
	const onWire = inFlight.retransmissions;
	if ((counted ?? 0) === 0 && onWire === 0) return [];
	const segments: Segment[] = [];
	if (counted !== undefined) segments.push({text: m.lab.retransmits(counted), bold: true});
	if (reading?.rto !== undefined) segments.push({text: m.lab.rto(formatSeconds(reading.rto, m.units))});
	if (reading?.backoff !== undefined) segments.push({text: m.lab.backoff(reading.backoff)});
	if (reading?.unacked !== undefined) segments.push({text: m.lab.unacked(reading.unacked)});
	// Without the kernel's count the capture's stands alone, so it names the side itself.
	if (counted === undefined) segments.unshift({text: m.lab.retransmittedOnTheWire(onWire), bold: true});
	else if (counted !== onWire) segments.push({text: m.lab.onTheWire(onWire), dim: true});
	return segments;
}

function applications({app}: LabView, width: number, m: Messages): Segment[] {
	const sides: Side[] = ['server', 'client'];
	return sides.flatMap(side => {
		const {sent, received, errors} = app[side];
		const line = (event: AppEvent | undefined, words: (who: string, text: string, at: string) => string): Segment[] => {
			if (!event) return [];
			const say = (text: string) => words(m.sides[side], text, formatT(event.t));
			// The quote gets what the row leaves once its other words are in.
			return [{text: say(quoted(lineOf(event), width - columnsOf(say(''))))}];
		};

		const error = errors.at(-1);
		return [
			...line(sent.at(-1), m.lab.wrote),
			...line(received.at(-1), m.lab.read),
			...(error === undefined ? [] : [{text: m.lab.writeFailed(m.sides[side], error), color: 'red', bold: true}]),
		];
	});
}

/** A line as the application wrote it, on one row, cut to `room` columns. */
function quoted(text: string, room: number): string {
	const line = text.replaceAll(/[\r\n\t]+/g, ' ');
	const fits = Math.max(minQuoted, room);
	return columnsOf(line) <= fits ? line : `${cutTo(line, fits - 1)}…`;
}
