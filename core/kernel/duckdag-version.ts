/** The version of this duckdag, as its package.json says; recorded with the history it writes. */
import packageJson from '../../package.json' with { type: 'json' };

export const duckdagVersion: string = packageJson.version;
