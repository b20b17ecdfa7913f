/**
 * Bearer-token authentication: `Authorization: Bearer <token>` names exactly one configured user.
 */
import { timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.ts';
import type { UserAccount } from './config.ts';

/** Hono context variables set by {@link bearerAuth}. */
export interface AuthVariables {
  /** The authenticated user. */
  user: UserAccount;
}

/** Finds the user whose token equals `presented`, comparing in constant time per configured token. */
export function findUser(tokens: ReadonlyMap<string, UserAccount>, presented: string): UserAccount | undefined {
  const given = Buffer.from(presented);
  let found: UserAccount | undefined;
  for (const [token, user] of tokens) {
    const expected = Buffer.from(token);
    if (expected.length === given.length && timingSafeEqual(expected, given)) found = user;
  }
  return found;
}

/** Middleware that sets `c.var.user` or answers 401 unauthorized. */
export function bearerAuth(tokens: ReadonlyMap<string, UserAccount>) {
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    const header = c.req.header('authorization');
    const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
    if (!match?.[1]) throw new ApiError('unauthorized', 'Missing Authorization: Bearer <token> header.');
    const user = findUser(tokens, match[1]);
    if (!user) throw new ApiError('unauthorized', 'The token is not valid.');
    c.set('user', user);
    await next();
  });
}
