import type {Side} from '../../lab/shared/events.js';
import {wrapSpans} from '../lesson/markdown.js';
import type {Messages} from '../messages/messages.js';
import {columnsOf, formatT, packSegments, type Segment, wideWidth} from './format.js';
import type {LabView} from './lab-view.js';
import {scenarioLines} from './scenario-status.js';

/** How many lab errors the status line shows (the newest). */
const shownErrors = 2;

/**
 * The status line's rows for a pane `width` columns wide: the lab (sandbox, firewall tool,
 * port), lab errors, the keepalive values read back, the sockets, the drop command when on,
 * what the scenario adds (scenario-status.ts), the summary when it came. Pure, so the pane can count the rows before it lays out.
 */
export function statusLines(view: LabView, width: number, m: Messages): Segment[][] {
	const wide = width >= wideWidth;
	const lines: Segment[][] = [];

	if (!view.ready) lines.push([{text: view.stopped ? m.lab.stoppedLab : m.lab.starting, dim: true}]);
	else {
		lines.push(
			...packSegments(
				[
					{text: m.lab.sandbox(view.sandbox ?? '?'), bold: true},
					{text: view.firewall ?? '?'},
					{text: m.lab.port(String(view.port ?? '?'))},
					...(view.stopped ? [{text: m.lab.stopped, dim: true}] : []),
				],
				width,
			),
		);
	}

	for (const error of view.errors.slice(-shownErrors)) {
		lines.push(...prefixed(m.lab.error(wide), error.message, width, {color: 'red', bold: true}));
	}

	if (view.ready) {
		lines.push(...packSegments(keepaliveSegments(view, wide, m), width));
		lines.push(...packSegments([socketSegment(view, 'server', m), socketSegment(view, 'client', m)], width));
		lines.push(...scenarioLines(view, width, m));
	}

	if (view.drop.on && view.drop.command) {
		lines.push(...prefixed(m.lab.drop, view.drop.command, width, {color: 'red', bold: true}));
	}

	const summary = view.summary;
	if (summary) {
		const outcome = summary.ok ? m.lab.summaryOk : m.lab.summaryFailed(summary.failure);
		lines.push(...prefixed('', outcome, width, {color: summary.ok ? 'green' : 'red', bold: true}));
	}

	return lines;
}

function keepaliveSegments(view: LabView, wide: boolean, m: Messages): Segment[] {
	const server = view.sockopt.server;
	if (!server) return [{text: m.lab.notReadBack, dim: true}];
	if (server.keepalive === false) return [{text: m.lab.keepaliveOff, bold: true}];
	const segments: Segment[] = [
		{text: m.lab.readBack(wide)},
		{text: m.lab.idle(server.idle), bold: true},
		{text: m.lab.intvl(server.intvl), bold: true},
		{text: m.lab.probes(server.probes), bold: true},
	];
	if (wide) segments.push({text: m.lab.nodeDefaults(server.nodeDefaults.intvl, server.nodeDefaults.probes), dim: true});
	return segments;
}

/** The socket's state: its error once it failed, else the kernel's TCP state, else what the peer reported. */
function socketSegment(view: LabView, side: Side, m: Messages): Segment {
	const socket = view.sockets[side];
	const name = m.sides[side];
	const at = socket.t === null ? '' : ` ${m.units.seconds(formatT(socket.t))}`;
	if (socket.state === 'error') return {text: `${name} ${socket.code ?? m.lab.socketError}${at}`, color: 'red', bold: true};
	if (socket.state === 'closed') return {text: `${name} ${m.lab.socketClosed}${at}`, dim: true};
	const kernel = view.kernel[side];
	if (kernel) return {text: `${name} ${kernel.state}`};
	return socket.state === 'connected' ? {text: `${name} ${m.lab.socketConnected}`} : {text: `${name} ${m.lab.socketWaiting}`, dim: true};
}

/** Text after a label, wrapped (at spaces, and in CJK text between characters), continuation lines indented under the text. */
function prefixed(label: string, text: string, width: number, style: Omit<Segment, 'text'>): Segment[][] {
	const indent = columnsOf(label) < width / 2 ? columnsOf(label) : 0;
	const parts = wrapSpans([{text}], Math.max(1, width - indent)).map(line => line.map(span => span.text).join(''));
	return parts.map((part, index) => [
		{text: index === 0 ? label : ' '.repeat(indent), ...style},
		{text: part, ...(style.color ? {color: style.color} : {})},
	]);
}
