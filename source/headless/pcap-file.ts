import {closeSync, existsSync, openSync, rmSync, statSync, writeSync} from 'node:fs';
import path from 'node:path';
import {pcapGlobalHeader} from '../lab/shared/pcap.js';

const reasons: Record<string, (file: string) => string> = {
	ENOENT(file) {
		const dir = path.dirname(path.resolve(file));
		// Some places (/proc) exist but take no new files.
		return statSync(dir, {throwIfNoEntry: false})?.isDirectory() ? `${dir} takes no new files` : `the directory ${dir} does not exist`;
	},
	ENOTDIR: file => `a part of ${path.dirname(path.resolve(file))} is not a directory`,
	EISDIR: () => 'it is a directory; give a file name',
	EACCES: () => 'permission denied',
	EPERM: () => 'permission denied',
	EROFS: () => 'the file system is read-only',
	ENOSPC: () => 'no space left on the device',
};

/**
 * Whether the capture file can be written, found out by writing its header now, before
 * any lab starts (the lab's agent writes it again). Returns what is wrong, or undefined.
 */
export function pcapFileProblem(file: string): string | undefined {
	const existed = existsSync(file);
	let fd: number | undefined;
	try {
		fd = openSync(file, 'w');
		writeSync(fd, pcapGlobalHeader());
		return undefined;
	} catch (error) {
		const {code, message} = error as NodeJS.ErrnoException;
		// Leave nothing behind: a file this check made and could not fill goes again.
		if (fd !== undefined && !existed) rmSync(file, {force: true});
		return `cannot write the capture to ${file}: ${reasons[code ?? '']?.(file) ?? message}.`;
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}
