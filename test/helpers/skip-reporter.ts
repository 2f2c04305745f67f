/**
 * A vitest reporter (beside the default one) that ends the run with one line per
 * reason tests were skipped, as test/helpers/privilege.ts recorded it on the skipped
 * task (`meta.needs`), e.g.
 *
 *   skipped 17 tests that need root: capture ×3, firewall ×8, … (run as root to include them: sudo npm test)
 *
 * With KA_TEST_REQUIRE_ALL=1 (.ci/run sets it) any such skip fails the run: CI has
 * everything installed and runs as root, so a skip there means a missing install step.
 */
import path from 'node:path';
import type {Reporter, TestCase, TestModule, TestSuite, Vitest} from 'vitest/node';

/** What to do about each missing thing, by the name privilege.ts gives it. */
const remedies: Record<string, string> = {
	root: 'run as root to include them: sudo npm test',
	'unprivileged user namespaces': 'allow them, see README "What the lab needs from the OS", or run as root',
	'unshare (util-linux)': 'apt-get install util-linux',
	'setpriv (util-linux)': 'apt-get install util-linux',
	'ip (iproute2)': 'apt-get install iproute2',
	'iptables or nft': 'apt-get install iptables',
	iptables: 'apt-get install iptables',
	nft: 'apt-get install nftables',
	tshark: 'apt-get install tshark',
	tcpdump: 'apt-get install tcpdump',
	tmux: 'apt-get install tmux',
};

/** What a skipped test lacked: its own needs and those of every suite around it; undefined if none recorded. */
function needsOf(test: TestCase): string[] | undefined {
	const chain: Array<TestCase | TestSuite> = [];
	for (let task: TestCase | TestSuite | TestModule = test; task.type !== 'module'; task = task.parent) chain.unshift(task);
	const needs = new Set(chain.flatMap(task => task.meta().needs ?? []));
	return needs.size > 0 ? [...needs] : undefined;
}

function and(items: string[]): string {
	return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export default class SkipReporter implements Reporter {
	private vitest: Vitest | undefined;

	onInit(vitest: Vitest): void {
		this.vitest = vitest;
	}

	async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
		const groups = new Map<string, {needs: string[]; files: Map<string, number>}>();
		let other = 0;
		for (const module of testModules) {
			for (const test of module.children.allTests()) {
				if (test.result().state !== 'skipped') continue;
				const needs = needsOf(test);
				if (!needs) {
					other++;
					continue;
				}

				const key = needs.join('\n');
				const group = groups.get(key) ?? {needs, files: new Map()};
				groups.set(key, group);
				const file = path.basename(module.moduleId).replace(/\.test\.tsx?$/, '');
				group.files.set(file, (group.files.get(file) ?? 0) + 1);
			}
		}

		const lines: string[] = [];
		for (const {needs, files} of groups.values()) {
			const count = [...files.values()].reduce((sum, n) => sum + n, 0);
			const where = [...files].map(([file, n]) => `${file} ×${n}`).join(', ');
			const fixes = [...new Set(needs.map(need => remedies[need] ?? `install ${need}`))].join('; ');
			lines.push(`skipped ${count} test${count === 1 ? '' : 's'} that need ${and(needs)}: ${where} (${fixes})`);
		}

		if (other > 0) lines.push(`skipped ${other} other test${other === 1 ? '' : 's'} (left out by a filter, or marked skip or todo in the code)`);
		const failHere = groups.size > 0 && process.env['KA_TEST_REQUIRE_ALL'] === '1';
		if (failHere) {
			lines.push('KA_TEST_REQUIRE_ALL=1: every test must run here (CI runs as root with everything installed), so the skips above fail the run');
			process.exitCode = 1;
		}

		if (lines.length === 0) return;
		// After the default reporter's summary, which it prints in onFinished, right after this hook.
		await new Promise(resolve => setImmediate(resolve));
		const logger = this.vitest?.logger;
		for (const line of lines) {
			if (failHere) logger ? logger.error(line) : console.error(line);
			else logger ? logger.log(line) : console.log(line);
		}
	}
}
