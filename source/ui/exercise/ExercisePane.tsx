import {ScrolledPane} from '../lesson/ScrolledPane.js';
import {useMessages} from '../messages/messages-context.js';
import {type ExerciseScreenInput, exerciseScreen} from './exercise-screen.js';

export type ExercisePaneProps = Omit<ExerciseScreenInput, 'messages'> & {
	/** First text row shown, when the text is longer than the pane (clamped). */
	scroll: number;
};

/** An exercise: its goal and situation, the hints and solution asked for, the form, and the run's check and verdict. */
export function ExercisePane({scroll, ...input}: ExercisePaneProps) {
	const messages = useMessages();
	return <ScrolledPane screen={exerciseScreen({...input, messages})} scroll={scroll} width={Math.max(10, input.width)} height={input.height} />;
}
