/**
 * Authentication of the STAC API: HTTP Basic (older deployments; users and scrypt hashes from
 * DROPOFF_STAC_BASIC_USERS) or `Authorization: Bearer <token>` (the server's static tokens or OIDC JWTs, as on the
 * dropoff API). Either way the request acts as one of our users, confined to their own catalog and space.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { findUser, type AuthVariables } from '../auth.ts';
import { ApiError } from '../errors.ts';
import type { UserAccount } from '../config.ts';
import { JWT_SHAPE, type JwtVerifier } from '../security/jwt-verifier.ts';
import { verifyPassword } from './password-hash.ts';
import type { BasicUser } from './stac-config.ts';
import { StacError } from './stac-errors.ts';

/** How long a checked Basic password is remembered, so that each request does not pay scrypt again. */
const REMEMBER_MS = 5 * 60_000;
const REMEMBER_MAX = 1000;

/** What {@link stacAuth} checks against. */
export interface StacAuthSources {
  /** Bearer token -> user. */
  readonly tokens: ReadonlyMap<string, UserAccount>;
  /** Verifies JWTs, when an identity provider is configured. */
  readonly verifyJwt: JwtVerifier | undefined;
  /** Basic users by name. */
  readonly basicUsers: ReadonlyMap<string, BasicUser>;
}

/** A 401 whose WWW-Authenticate names the scheme the client tried (Bearer unless it tried Basic). */
function unauthorized(description: string, scheme: 'Basic' | 'Bearer'): StacError {
  return new StacError(401, description, {}, { 'WWW-Authenticate': `${scheme} realm="dropoff STAC API"${scheme === 'Basic' ? ', charset="UTF-8"' : ''}` });
}

/** Middleware that sets `c.var.user` from Basic or Bearer credentials, or answers 401. */
export function stacAuth(sources: StacAuthSources) {
  // Remembered checks are keyed by an HMAC of user and password under a key of this process: never the password.
  const secret = randomBytes(32);
  const remembered = new Map<string, number>();
  const remember = (key: string) => {
    if (remembered.size >= REMEMBER_MAX) remembered.delete(remembered.keys().next().value!);
    remembered.set(key, Date.now() + REMEMBER_MS);
  };
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    let user: UserAccount | undefined;
    if (bearer?.[1]) {
      user = findUser(sources.tokens, bearer[1]);
      if (!user && sources.verifyJwt && JWT_SHAPE.test(bearer[1])) {
        try {
          user = await sources.verifyJwt(bearer[1]);
        } catch (error) {
          // A token refused (expired, wrong issuer…) is a 401 like any other; an unreachable provider stays a 503.
          if (error instanceof ApiError && error.code === 'unauthorized') throw unauthorized(error.message, 'Bearer');
          throw error;
        }
      }
      if (!user) throw unauthorized('The token is not valid.', 'Bearer');
    } else if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      const name = separator < 0 ? decoded : decoded.slice(0, separator);
      const password = separator < 0 ? '' : decoded.slice(separator + 1);
      const account = sources.basicUsers.get(name);
      const key = createHmac('sha256', secret).update(name).update('\0').update(password).digest('base64');
      const known = (remembered.get(key) ?? 0) > Date.now();
      if (!account || !(known || await verifyPassword(password, account.passwordHash))) {
        throw unauthorized('Invalid username or password.', 'Basic');
      }
      if (!known) remember(key);
      user = account.user;
    } else {
      throw unauthorized('Authentication credentials were not provided: send Authorization: Basic (user and password) or Bearer <token>.', 'Bearer');
    }
    c.set('user', user);
    await next();
  });
}
