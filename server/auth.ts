/**
 * Bearer-token authentication: `Authorization: Bearer <token>` names exactly one user, either through the static
 * token list (DROPOFF_TOKENS) or, when an identity provider is configured, as an OIDC JWT verified against its keys.
 */
import { timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.ts';
import type { UserAccount } from './config.ts';
import { JWT_SHAPE, type JwtVerifier } from './security/jwt-verifier.ts';

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

/**
 * Middleware that sets `c.var.user` or answers 401 unauthorized. A static token is looked up first; a token shaped
 * like a JWT is then verified by `verifyJwt`, when there is one.
 */
export function bearerAuth(tokens: ReadonlyMap<string, UserAccount>, verifyJwt?: JwtVerifier) {
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    const header = c.req.header('authorization');
    const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
    if (!match?.[1]) throw new ApiError('unauthorized', 'Missing Authorization: Bearer <token> header.');
    let user = findUser(tokens, match[1]);
    if (!user && verifyJwt && JWT_SHAPE.test(match[1])) user = await verifyJwt(match[1]);
    if (!user) throw new ApiError('unauthorized', 'The token is not valid.');
    c.set('user', user);
    await next();
  });
}
