/**
 * The lab's one way into libc (through ffi-rs), for what Node has no API for: the
 * TCP_KEEP* getters, prctl, and raw packet and netlink sockets. Every caller (the
 * peers, the agent and its packet capture) goes through `libc` here.
 */

import {createRequire} from 'node:module';
import type * as Ffi from 'ffi-rs';
import {exitIfOrphaned} from './parent-pid.js';

// ffi-rs is CommonJS. Through require it loads in about 9 ms; through import, Node also
// sets up and runs its scanner of CommonJS exports: 5 ms and 0.5 MiB more in each lab
// process (measured here). Every module of the lab takes ffi-rs's DataType from here.
const {createPointer, DataType, load, open, restorePointer} = createRequire(import.meta.url)('ffi-rs') as typeof Ffi;
type DataType = Ffi.DataType;
type JsExternal = Ffi.JsExternal;
export {DataType};

/** An int-returning libc call's result, with errno when it failed. */
export type Errno = {value: number; errnoCode: number; errnoMessage: string};

// ffi-rs looks libc up under this name; '' means the running process's own symbols.
const library = 'libc';
let opened = false;
function openLibc(): void {
	if (!opened) {
		open({library, path: ''});
		opened = true;
	}
}

/** Calls an int-returning libc function. */
export function libc(funcName: string, paramsType: DataType[], paramsValue: unknown[]): Errno {
	openLibc();
	return load({library, funcName, retType: DataType.I32, paramsType, paramsValue, errno: true}) as Errno;
}

/** Calls a pointer-returning libc function; the pointer as a number. */
export function libcPointer(funcName: string, paramsType: DataType[], paramsValue: unknown[]): bigint {
	openLibc();
	return load({library, funcName, retType: DataType.BigInt, paramsType, paramsValue}) as bigint;
}

/** close(2): fs.closeSync would warn about a descriptor Node did not open. */
export function closeFd(fd: number): void {
	libc('close', [DataType.I32], [fd]);
}

/** setsockopt(2) with the option's bytes. */
export function setsockopt(fd: number, level: number, name: number, value: Buffer): Errno {
	return libc('setsockopt', [DataType.I32, DataType.I32, DataType.I32, DataType.U8Array, DataType.I32], [
		fd,
		level,
		name,
		value,
		value.length,
	]);
}

/** An int option's bytes. */
export function intValue(n: number): Buffer {
	const buffer = Buffer.alloc(4);
	buffer.writeInt32LE(n);
	return buffer;
}

/** struct timeval on 64-bit Linux: {long tv_sec; long tv_usec}, 16 bytes. */
export function timeval(ms: number): Buffer {
	const buffer = Buffer.alloc(16);
	buffer.writeBigInt64LE(BigInt(Math.floor(ms / 1000)), 0);
	buffer.writeBigInt64LE(BigInt((ms % 1000) * 1000), 8);
	return buffer;
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
	const result = libc('getsockopt', [DataType.I32, DataType.I32, DataType.I32, DataType.External, DataType.External], [
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
	libc('prctl', [DataType.I32, DataType.I32], [PR_SET_PDEATHSIG, SIGKILL]);
	// A parent that died before the call sends no signal: then the parent is already someone else.
	exitIfOrphaned();
}

export const SOL_SOCKET = 1;
export const SO_KEEPALIVE = 9;
export const SO_RCVBUF = 8;
export const SO_RCVTIMEO = 20;
export const SOL_TCP = 6;
export const TCP_KEEPIDLE = 4;
export const TCP_KEEPINTVL = 5;
export const TCP_KEEPCNT = 6;
export const TCP_USER_TIMEOUT = 18;
