import {useMessages} from '../messages/messages-context.js';
import {type LessonScreenInput, lessonScreen} from './lesson-screen.js';
import {ScrolledPane} from './ScrolledPane.js';

export type LessonPaneProps = LessonScreenInput & {
	/** First text row shown, when the text is longer than the pane (clamped). */
	scroll?: number;
};

/** The current lesson: title and progress, the step's text, and what to do or watch for now. */
export function LessonPane({scroll = 0, ...input}: LessonPaneProps) {
	const messages = useMessages();
	return <ScrolledPane screen={lessonScreen({...input, messages})} scroll={scroll} width={Math.max(10, input.width)} height={input.height} />;
}
