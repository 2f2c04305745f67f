/**
 * A machine without iptables and nft, made by hiding them (never by uninstalling):
 * in a private mount namespace, /dev/null (not executable) is bound over every copy
 * the lab could find. Needs root.
 */
import {existsSync, realpathSync} from 'node:fs';
import path from 'node:path';
import {sbinDirs} from '../../source/lab/shared/find-tool.js';

/** Every file find-tool.ts could take for `name`, resolved (iptables is a chain of links). */
function copiesOf(name: string): string[] {
	const dirs = [...(process.env['PATH'] ?? '').split(':').filter(Boolean), ...sbinDirs];
	const files = dirs.map(dir => path.join(dir, name)).filter(file => existsSync(file));
	return [...new Set(files.map(file => realpathSync(file)))];
}

/** A command prefix that runs the rest with iptables and nft hidden, for that process tree only. */
export function withoutFirewall(): string[] {
	const binds = [...copiesOf('iptables'), ...copiesOf('nft')].map(file => `mount --bind /dev/null '${file}'`);
	return ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', `${binds.join(' && ')} && exec "$@"`, 'sh'];
}
