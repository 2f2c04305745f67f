import {accessSync, constants} from 'node:fs';
import path from 'node:path';

/** Where the sbin tools live when a normal user's PATH leaves them out (Debian). */
export const sbinDirs = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The executable's full path, looked up in PATH and then in the sbin folders. */
export function findTool(name: string): string | undefined {
	const dirs = [...(process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean), ...sbinDirs];
	for (const dir of dirs) {
		const candidate = path.join(dir, name);
		try {
			accessSync(candidate, constants.X_OK);
			return candidate;
		} catch {}
	}

	return undefined;
}
