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

/**
 * Checks one value given as text (from a flag) against the kernel's range.
 * Returns the number, or an error message that names the valid range.
 */
export function parseParam(name: keyof KeepaliveParams, text: string): number | {error: string} {
	const {min, max} = limits[name];
	const unit = name === 'probes' ? '' : ' seconds';
	if (!/^\d+$/.test(text.trim())) {
		return {error: `--${name} must be a whole number from ${min} to ${max}${unit}; got "${text}".`};
	}

	const value = Number(text.trim());
	if (value < min || value > max) {
		return {error: `--${name} must be from ${min} to ${max}${unit} (the kernel's range); got ${value}.`};
	}

	return value;
}

/** Validates all three values; every error is reported, not just the first. */
export function parseParams(
	base: KeepaliveParams,
	given: Partial<Record<keyof KeepaliveParams, string>>,
): KeepaliveParams | {errors: string[]} {
	const result: KeepaliveParams = {...base};
	const errors: string[] = [];
	for (const name of Object.keys(limits) as Array<keyof KeepaliveParams>) {
		const text = given[name];
		if (text === undefined) continue;
		const value = parseParam(name, text);
		if (typeof value === 'number') result[name] = value;
		else errors.push(value.error);
	}

	return errors.length > 0 ? {errors} : result;
}
