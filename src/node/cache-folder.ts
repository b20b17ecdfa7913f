/**
 * Where the command line keeps what must survive a run: the user's cache folder (XDG_CACHE_HOME or ~/.cache on Linux,
 * ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows, as env-paths knows them), or DROPOFF_CACHE_DIR when set.
 * And where it reads its configuration: the user's config folder, or DROPOFF_CONFIG when set.
 */
import envPaths from 'env-paths';
import { join } from 'node:path';

const paths = envPaths('dropoff', { suffix: '' });

/** The folder for resume records and the record of stored files. */
export function cacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  return env.DROPOFF_CACHE_DIR || paths.cache;
}

/** The configuration file (JSON: `endpoint`, `token`). */
export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.DROPOFF_CONFIG || join(paths.config, 'config.json');
}
