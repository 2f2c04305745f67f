/** Exit codes as the shell reports a program ended by a signal: 128 + its number. */
export const signalCodes = {SIGHUP: 129, SIGINT: 130, SIGTERM: 143} as const;

/** The signals that end the tutorial and the headless lab in order (they stop the lab first). */
export type HandledSignal = keyof typeof signalCodes;

export const handledSignals = Object.keys(signalCodes) as HandledSignal[];
