/**
 * Who may touch which key: every key must be valid (src/engine/key-rules.ts) and inside the user's space.
 */
import { keyProblem, printableKey } from '../src/engine/key-rules.ts';
import { ApiError } from './errors.ts';
import type { UserAccount } from './config.ts';

/** Throws 400 invalid_key for a bad key, 403 forbidden_key for a key outside `user`'s space. */
export function authorizeKey(user: UserAccount, key: string): void {
  const problem = keyProblem(key);
  if (problem) throw new ApiError('invalid_key', `Invalid key "${printableKey(key)}": ${problem}.`);
  if (!key.startsWith(user.space)) {
    throw new ApiError('forbidden_key', `Key "${printableKey(key)}" is outside your space; your keys must start with "${user.space}".`);
  }
}

/**
 * Throws 403 forbidden_key for a listing prefix that reaches outside `user`'s space. An empty prefix means the whole
 * space. Returns the prefix to list with.
 */
export function authorizePrefix(user: UserAccount, prefix: string | undefined): string {
  if (!prefix) return user.space;
  if (!prefix.startsWith(user.space) || prefix.split('/').includes('..')) {
    throw new ApiError('forbidden_key', `Prefix "${printableKey(prefix)}" is outside your space "${user.space}".`);
  }
  return prefix;
}
