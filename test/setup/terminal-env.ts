/*
 * The tutorial unsets CI before Ink loads when it runs on a terminal (source/tutorial.tsx):
 * with CI set, Ink draws only the last frame, at exit. The component tests render what a
 * learner's terminal shows, so they load Ink the same way, also when CI runs them.
 */
delete process.env['CI'];
delete process.env['CONTINUOUS_INTEGRATION'];
