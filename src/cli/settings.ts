/**
 * Where the server is and who the user is: from flags, else the environment (DROPOFF_ENDPOINT, DROPOFF_TOKEN), else
 * the configuration file (JSON `{ "endpoint": ..., "token": ..., "category": ... }` in the user's config folder, or
 * the file DROPOFF_CONFIG or `--config` names).
 */
import { readFile } from 'node:fs/promises';
import { configFile } from '../node/cache-folder.ts';
import { UsageError } from './usage-error.ts';

/** The options every command takes. */
export interface ConnectionFlags {
  readonly endpoint?: string;
  readonly token?: string;
  readonly config?: string;
}

/** A server to talk to. */
export interface Connection {
  /** The server's base URL. */
  readonly endpoint: string;
  /** The Bearer token; undefined when none was given (the server then answers 401). */
  readonly token: string | undefined;
  /** A default category from the configuration file, if any. */
  readonly category: string | undefined;
}

interface ConfigFile {
  readonly endpoint?: unknown;
  readonly token?: unknown;
  readonly category?: unknown;
}

/** Reads the configuration file; a missing file is an empty one, a broken one is a usage error. */
async function readConfig(path: string, named: boolean): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (named) throw new UsageError(`The configuration file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    return {};
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as ConfigFile;
  } catch (error) {
    throw new UsageError(`The configuration file ${path} is not a JSON object with "endpoint" and "token" (${(error as Error).message}).`);
  }
}

/** Resolves the connection for a command; throws UsageError when no endpoint is known or it is not a URL. */
export async function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Promise<Connection> {
  const named = flags.config ?? env.DROPOFF_CONFIG;
  const config = await readConfig(named ?? configFile(env), named !== undefined);
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const endpoint = flags.endpoint ?? text(env.DROPOFF_ENDPOINT) ?? text(config.endpoint);
  if (!endpoint) {
    throw new UsageError('No server given: pass --endpoint URL, set DROPOFF_ENDPOINT, or put "endpoint" in the configuration file.');
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`The endpoint "${endpoint}" is not a URL (expected e.g. https://api.example.org/dropoff).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`The endpoint "${endpoint}" must be an http or https URL.`);
  return {
    endpoint,
    token: flags.token ?? text(env.DROPOFF_TOKEN) ?? text(config.token),
    category: text(config.category),
  };
}
