/**
 * execve(2), which Node 20 lacks (process.execve came in Node 23.11): this process becomes
 * `file`, keeping its pid, its terminal and its parent. Node marks its standard streams
 * close-on-exec; they are handed on open.
 */
import {DataType, libc, libcPointer} from './libc.js';

const F_SETFD = 2;

/** A NULL-terminated array of pointers to C strings (copies that the new program replaces). */
function cStrings(strings: string[]): Buffer {
	const table = Buffer.alloc(8 * (strings.length + 1));
	strings.forEach((text, i) => table.writeBigUInt64LE(libcPointer('strdup', [DataType.String], [text]), 8 * i));
	return table;
}

/** Replaces this process with `file` run with `argv` and `env`; throws when the kernel refuses. */
export function execve(file: string, argv: string[], env: NodeJS.ProcessEnv): never {
	for (const fd of [0, 1, 2]) libc('fcntl', [DataType.I32, DataType.I32, DataType.I32], [fd, F_SETFD, 0]);
	const environment = Object.entries(env).flatMap(([name, value]) => (value === undefined ? [] : [`${name}=${value}`]));
	const result = libc('execve', [DataType.String, DataType.U8Array, DataType.U8Array], [file, cStrings(argv), cStrings(environment)]);
	throw new Error(`execve(${file}) failed: ${result.errnoMessage}`);
}
