import {parentPidVariable} from './parent-pid.js';
import {createPointer, DataType, type JsExternal, load, open, restorePointer} from 'ffi-rs';

// ffi-rs looks libc up under this name once; '' means the running process's own symbols.
const library = 'libc';
let opened = false;

function call(funcName: string, paramsType: DataType[], paramsValue: unknown[]): {value: number; errnoCode: number} {
	if (!opened) {
		open({library, path: ''});
		opened = true;
	}

	return load({library, funcName, retType: DataType.I32, paramsType, paramsValue, errno: true}) as {
		value: number;
		errnoCode: number;
	};
}

function intPointer(initial: number): JsExternal {
	const [pointer] = createPointer({paramsType: [DataType.I32], paramsValue: [initial]});
	if (!pointer) throw new Error('ffi-rs could not allocate an int');
	return pointer;
}

/** getsockopt for an int option; Node exposes none of the TCP_KEEP* getters. */
export function getsockoptInt(fd: number, level: number, name: number): number {
	const value = intPointer(0);
	const length = intPointer(4);
	const result = call('getsockopt', [DataType.I32, DataType.I32, DataType.I32, DataType.External, DataType.External], [
		fd,
		level,
		name,
		value,
		length,
	]);
	if (result.value !== 0) throw new Error(`getsockopt(${level}, ${name}) failed: errno ${result.errnoCode}`);
	const [read] = restorePointer({retType: [DataType.I32], paramsValue: [value]}) as number[];
	return read ?? 0;
}

const PR_SET_PDEATHSIG = 1;
const SIGKILL = 9;

/**
 * Asks the kernel to SIGKILL this process when its parent dies, so that a lab
 * whose owner was killed (even by SIGKILL) cannot outlive it.
 */
export function dieWithParent(): void {
	call('prctl', [DataType.I32, DataType.I32], [PR_SET_PDEATHSIG, SIGKILL]);
	// A parent that died before the call sends no signal: then the parent is already someone else.
	const expected = Number(process.env[parentPidVariable]);
	if (expected > 0 && process.ppid !== expected) process.exit(1);
}

export const SOL_SOCKET = 1;
export const SO_KEEPALIVE = 9;
export const SOL_TCP = 6;
export const TCP_KEEPIDLE = 4;
export const TCP_KEEPINTVL = 5;
export const TCP_KEEPCNT = 6;
