import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		setupFiles: ['test/setup/terminal-env.ts'],
		// Integration tests start real namespaces and wait for real keepalive timers.
		testTimeout: 60_000,
		hookTimeout: 30_000,
		fileParallelism: false,
		// The default report, then one line per reason tests were skipped here (test/helpers/privilege.ts).
		reporters: ['default', './test/helpers/skip-reporter.ts'],
	},
});
