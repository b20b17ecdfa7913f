/**
 * Settings of the STAC API: the HTTP Basic users (older STAC deployments authenticate with Basic; newer ones with a
 * Bearer token, which needs no setting here: the server's tokens and JWTs serve both APIs).
 *
 * `DROPOFF_STAC_BASIC_USERS` lists `user:hash` pairs separated by commas, the hash made by
 * `npx tsx server/stac/password-hash.ts` (scrypt). Never a plaintext password: an entry whose hash is not a scrypt
 * hash is refused at start. A Basic user is the same user as the Bearer token user of that name, with the same space.
 */
import type { UserAccount } from '../config.ts';
import { isPasswordHash } from './password-hash.ts';

/** The base path the STAC API is mounted under. */
export const STAC_BASE_PATH = '/stac/v1';

/** One Basic user: the account and their password hash. */
export interface BasicUser {
  /** The user it authenticates as. */
  readonly user: UserAccount;
  /** Their scrypt hash (password-hash.ts). */
  readonly passwordHash: string;
}

/** What the STAC API is configured with. */
export interface StacSettings {
  /** Basic users by user name. */
  readonly basicUsers: ReadonlyMap<string, BasicUser>;
}

/** No Basic users: Bearer only. */
export const DEFAULT_STAC: StacSettings = { basicUsers: new Map() };

/**
 * Parses `user:hash,user:hash`. Throws naming the entry (never echoing what follows the `:`) when a user name is
 * not made of A-Z a-z 0-9 . _ -, a hash is not a scrypt hash (a plaintext password, most likely), or a user repeats.
 */
export function parseBasicUsers(spec: string): Map<string, BasicUser> {
  const users = new Map<string, BasicUser>();
  for (const entry of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const separator = entry.indexOf(':');
    const name = entry.slice(0, separator);
    const hash = entry.slice(separator + 1);
    if (separator <= 0 || !/^[A-Za-z0-9._-]{1,64}$/.test(name) || name === '.' || name === '..') {
      throw new Error(`DROPOFF_STAC_BASIC_USERS entry "${entry.slice(0, Math.max(0, separator)) || '…'}:…" must be user:hash, user made of A-Z a-z 0-9 . _ -`);
    }
    if (!isPasswordHash(hash)) {
      throw new Error(`DROPOFF_STAC_BASIC_USERS: the entry of user "${name}" is not a scrypt hash (plaintext passwords are refused); make one with: printf %s "$PASSWORD" | npx tsx server/stac/password-hash.ts`);
    }
    if (users.has(name)) throw new Error(`DROPOFF_STAC_BASIC_USERS names user "${name}" twice`);
    users.set(name, { user: { id: name, space: `${name}/` }, passwordHash: hash });
  }
  return users;
}

/** Reads the STAC settings from `env`. */
export function loadStacSettings(env: NodeJS.ProcessEnv = process.env): StacSettings {
  return { basicUsers: parseBasicUsers(env.DROPOFF_STAC_BASIC_USERS ?? '') };
}
