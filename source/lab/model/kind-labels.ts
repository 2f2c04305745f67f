import type {SegmentKind} from '../shared/events.js';

/** Wireshark's words for each kind of segment, so the learner meets the same ones in a real capture. */
export const kindLabels: Record<SegmentKind, string> = {
	syn: 'SYN',
	'syn-ack': 'SYN, ACK',
	ack: 'ACK',
	data: 'Data',
	keepalive: 'Keep-Alive',
	'keepalive-ack': 'Keep-Alive ACK',
	rst: 'RST',
	fin: 'FIN',
	retransmission: 'Retransmission',
};
