import {Box, Text} from 'ink';
import {memo} from 'react';
import {useTheme} from '../theme.js';
import {cutSegments, type Segment, sameSegments} from './format.js';

export type SegmentRowProps = {
	segments: readonly Segment[];
	width: number;
};

/**
 * One row of the lab pane, cut to `width` columns here (Ink need not clip it), and drawn
 * again only when its texts or styles change: a countdown's tick re-renders its own row.
 */
export const SegmentRow = memo(
	function SegmentRow({segments, width}: SegmentRowProps) {
		const {paint} = useTheme();
		return (
			<Text wrap="truncate">
				{cutSegments(segments, width).map((segment, index) => (
					// A row's segments have no identity of their own; their position is their key.
					// eslint-disable-next-line react/no-array-index-key
					<Text
						key={index}
						color={paint(segment.color)}
						bold={segment.bold ?? false}
						dimColor={segment.dim ?? false}
						italic={segment.italic ?? false}
						inverse={segment.inverse ?? false}
					>
						{segment.text}
					</Text>
				))}
			</Text>
		);
	},
	(before, after) => before.width === after.width && sameSegments(before.segments, after.segments),
);

/** Rows one under another, `width` columns wide: as many rows high as there are rows. */
export function SegmentRows({rows, width}: {rows: ReadonlyArray<readonly Segment[]>; width: number}) {
	return (
		<Box flexDirection="column" width={width} height={rows.length}>
			{rows.map((segments, row) => (
				// Rows have no identity of their own; their position is their key.
				// eslint-disable-next-line react/no-array-index-key
				<SegmentRow key={row} segments={segments} width={width} />
			))}
		</Box>
	);
}
