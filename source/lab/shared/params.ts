/** Keepalive settings of the lab's server socket, in whole seconds / probes. */
export type KeepaliveParams = {
	idle: number;
	intvl: number;
	probes: number;
};

/** The kernel's own limits for TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT. */
export const limits = {
	idle: {min: 1, max: 32_767},
	intvl: {min: 1, max: 32_767},
	probes: {min: 1, max: 127},
} as const satisfies Record<keyof KeepaliveParams, {min: number; max: number}>;

/** TCP_USER_TIMEOUT in ms: the kernel takes 0 (off) to INT_MAX; an hour is far past tcp_retries2's ~15 minutes. */
export const userTimeoutLimits = {min: 0, max: 3_600_000} as const;

/** The NAT router's nf_conntrack_tcp_timeout_established, seconds: at least a probe's round trip, at most an hour here. */
export const natTimeoutLimits = {min: 2, max: 3600} as const;

/** Each knob's sysctl under /proc/sys/net/ipv4, the system-wide default for new sockets. */
export const sysctlNames = {idle: 'tcp_keepalive_time', intvl: 'tcp_keepalive_intvl', probes: 'tcp_keepalive_probes'} as const;

/** The kernel's defaults (net.ipv4.tcp_keepalive_time / _intvl / _probes). */
export const kernelDefaults: KeepaliveParams = {idle: 7200, intvl: 75, probes: 9};

export const presets = {
	/** The values of the article's experiment. */
	article: {idle: 55, intvl: 6, probes: 2},
	/** Small values so that a whole lesson takes seconds. */
	fast: {idle: 5, intvl: 2, probes: 3},
} as const satisfies Record<string, KeepaliveParams>;

export type PresetName = keyof typeof presets;

export function isPresetName(name: string): name is PresetName {
	return Object.hasOwn(presets, name);
}
