/**
 * Polls `check` until it passes (returns without throwing, and not false), or fails with
 * its last error after `timeoutMs`. For Ink output: `await waitFor(() => expect(lastFrame()).toContain('…'))`.
 */
export async function waitFor(check: () => unknown, {timeoutMs = 2000, intervalMs = 10} = {}): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			if (check() !== false) return;
			lastError = new Error('waitFor: the check returned false');
		} catch (error) {
			lastError = error;
		}

		if (Date.now() > deadline) throw lastError;
		await new Promise(resolve => setTimeout(resolve, intervalMs));
	}
}

/** Strips ANSI escape sequences, to compare text whatever the colour level. */
export function plain(text: string | undefined): string {
	// eslint-disable-next-line no-control-regex
	return (text ?? '').replace(/\u001B\[[0-9;]*m/g, '');
}
