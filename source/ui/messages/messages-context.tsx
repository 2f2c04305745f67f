import {createContext, type ReactNode, useContext} from 'react';
import type {Messages} from './messages.js';

// No default: a component drawn outside the provider is a mistake, not a language choice.
const MessagesContext = createContext<Messages | undefined>(undefined);

/** The words of the tree below it, in the tutorial's language. */
export function MessagesProvider({messages, children}: {messages: Messages; children: ReactNode}) {
	return <MessagesContext.Provider value={messages}>{children}</MessagesContext.Provider>;
}

/** The catalog of the nearest MessagesProvider. */
export function useMessages(): Messages {
	const messages = useContext(MessagesContext);
	if (!messages) throw new Error('useMessages: no MessagesProvider above this component');
	return messages;
}
