import {Box, Text} from 'ink';
import {Fragment, memo} from 'react';
import {columnsOf} from './lab/format.js';
import {useTheme} from './theme.js';

export type KeyHint = {
	key: string;
	label: string;
	/** Higher stays longer when the line is too narrow; default 1. */
	priority?: number;
	/** Drawn stronger: the key the current step asks for. */
	highlight?: boolean;
};

const gap = 2;

const hintWidth = (hint: KeyHint) => columnsOf(hint.key) + 1 + columnsOf(hint.label);

/** The hints that fit in `width` columns, dropping the lowest priority first, in their order. */
export function fitHints(hints: readonly KeyHint[], width: number): KeyHint[] {
	const kept = [...hints];
	const total = () => kept.reduce((sum, hint, index) => sum + hintWidth(hint) + (index > 0 ? gap : 0), 0);
	while (kept.length > 0 && total() > width) {
		let lowest = kept.length - 1;
		for (const [index, hint] of kept.entries()) {
			if ((hint.priority ?? 1) < (kept[lowest]!.priority ?? 1)) lowest = index;
		}

		kept.splice(lowest, 1);
	}

	return kept;
}

const sameHint = (a: KeyHint, b: KeyHint) => a.key === b.key && a.label === b.label && a.priority === b.priority && a.highlight === b.highlight;

type KeyHintsProps = {hints: readonly KeyHint[]; width: number};

/** One row of keys and what they do, fitted to the width (fitHints: no clipping needed); drawn again only when they change. */
export const KeyHints = memo(
	function KeyHints({hints, width}: KeyHintsProps) {
		const {color, paint} = useTheme();
		const shown = fitHints(hints, width);
		return (
			<Box width={width} height={1}>
				<Text wrap="truncate-end">
					{shown.map((hint, index) => (
						<Fragment key={hint.key}>
							{index > 0 ? ' '.repeat(gap) : ''}
							<Text bold color={paint(hint.highlight ? 'yellow' : 'cyan')} inverse={hint.highlight && !color}>
								{hint.key}
							</Text>
							<Text dimColor={!hint.highlight}>{` ${hint.label}`}</Text>
						</Fragment>
					))}
				</Text>
			</Box>
		);
	},
	(before, after) => before.width === after.width && before.hints.length === after.hints.length && before.hints.every((hint, index) => sameHint(hint, after.hints[index]!)),
);
