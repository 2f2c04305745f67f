import {userInfo} from 'node:os';
import {isAbsolute, join, resolve} from 'node:path';
import {userUid} from '../user-namespace.js';

/** What the config directory is chosen from; the defaults are this process's. */
export type Whoami = {
	env?: NodeJS.ProcessEnv;
	uid?: number | undefined;
	/** The home directory in the password database (not $HOME). */
	passwdHome?: () => string;
};

/**
 * Where the tutorial keeps its files:
 * - `KA_TUTORIAL_CONFIG_DIR`, when set (tests and workshops point it elsewhere);
 * - as root, root's own `~/.config/ka-tutorial`, from the password database: under sudo,
 *   $HOME and $XDG_CONFIG_HOME may still be the learner's (`sudo -E`, env_keep, su), and
 *   a root-owned file there would stop the learner's own later runs from saving;
 * - else `$XDG_CONFIG_HOME/ka-tutorial`, or `~/.config/ka-tutorial` (XDG Base Directory;
 *   a relative $XDG_CONFIG_HOME is ignored, as the spec says).
 */
export function configDir({env = process.env, uid = userUid(), passwdHome = () => userInfo().homedir}: Whoami = {}): string {
	const override = env['KA_TUTORIAL_CONFIG_DIR'];
	if (override) return resolve(override);
	if (uid === 0) return join(passwdHome(), '.config', 'ka-tutorial');
	const xdg = env['XDG_CONFIG_HOME'];
	if (xdg && isAbsolute(xdg)) return join(xdg, 'ka-tutorial');
	return join(env['HOME'] || passwdHome(), '.config', 'ka-tutorial');
}
