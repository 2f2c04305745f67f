import type {Side} from '../../lab/shared/events.js';
import {columnsOf, formatT, packSegments, type Segment, wideWidth, wrapWords} from './format.js';
import type {LabView} from './lab-view.js';

/** How many lab errors the status line shows (the newest). */
const shownErrors = 2;

/**
 * The status line's rows for a pane `width` columns wide: the lab (sandbox, firewall tool,
 * port), lab errors, the keepalive values read back, the sockets, the drop command when on,
 * the summary when it came. Pure, so the pane can count the rows before it lays out.
 */
export function statusLines(view: LabView, width: number): Segment[][] {
	const wide = width >= wideWidth;
	const lines: Segment[][] = [];

	if (!view.ready) lines.push([{text: view.stopped ? 'lab stopped' : 'lab starting…', dim: true}]);
	else {
		lines.push(
			...packSegments(
				[
					{text: `lab ${view.sandbox ?? '?'}`, bold: true},
					{text: view.firewall ?? '?'},
					{text: `port ${view.port ?? '?'}`},
					...(view.stopped ? [{text: 'stopped', dim: true}] : []),
				],
				width,
			),
		);
	}

	for (const error of view.errors.slice(-shownErrors)) {
		lines.push(...prefixed(wide ? 'lab error: ' : 'error: ', error.message, width, {color: 'red', bold: true}));
	}

	if (view.ready) {
		lines.push(...packSegments(keepaliveSegments(view, wide), width));
		lines.push(...packSegments([socketSegment(view, 'server'), socketSegment(view, 'client')], width));
	}

	if (view.drop.on && view.drop.command) {
		lines.push(...prefixed('drop: ', view.drop.command, width, {color: 'red', bold: true}));
	}

	const summary = view.summary;
	if (summary) {
		const outcome = summary.ok ? 'summary: ok' : `summary: failed, ${summary.failure ?? 'see the events'}`;
		lines.push(...prefixed('', outcome, width, {color: summary.ok ? 'green' : 'red', bold: true}));
	}

	return lines;
}

function keepaliveSegments(view: LabView, wide: boolean): Segment[] {
	const server = view.sockopt.server;
	if (!server) return [{text: 'keepalive: not read back yet', dim: true}];
	const segments: Segment[] = [
		{text: wide ? 'server keepalive read back:' : 'keepalive'},
		{text: `idle ${server.idle} s`, bold: true},
		{text: `intvl ${server.intvl} s`, bold: true},
		{text: `probes ${server.probes}`, bold: true},
	];
	if (wide) {
		segments.push({
			text: `(setKeepAlive alone: intvl ${server.nodeDefaults.intvl} s, probes ${server.nodeDefaults.probes})`,
			dim: true,
		});
	}

	return segments;
}

/** The socket's state: its error once it failed, else the kernel's TCP state, else what the peer reported. */
function socketSegment(view: LabView, side: Side): Segment {
	const socket = view.sockets[side];
	if (socket.state === 'error') {
		return {text: `${side} ${socket.code ?? 'error'}${socket.t === null ? '' : ` ${formatT(socket.t)} s`}`, color: 'red', bold: true};
	}

	if (socket.state === 'closed') return {text: `${side} closed${socket.t === null ? '' : ` ${formatT(socket.t)} s`}`, dim: true};
	const kernel = view.kernel[side];
	if (kernel) return {text: `${side} ${kernel.state}`};
	return socket.state === 'connected' ? {text: `${side} connected`} : {text: `${side} waiting`, dim: true};
}

/** Text after a label, wrapped at spaces, continuation lines indented under the text. */
function prefixed(label: string, text: string, width: number, style: Omit<Segment, 'text'>): Segment[][] {
	const indent = columnsOf(label) < width / 2 ? columnsOf(label) : 0;
	return wrapWords(text, Math.max(1, width - indent)).map((part, index) => [
		{text: index === 0 ? label : ' '.repeat(indent), ...style},
		{text: part, ...(style.color ? {color: style.color} : {})},
	]);
}
