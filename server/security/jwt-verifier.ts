/**
 * OIDC access tokens (JWTs) verified with `jose` against the identity provider's JSON Web Key Set: signature by one of
 * its keys with an allowed algorithm, issuer, audience, expiry and not-before within a small clock tolerance. The user
 * is named by a configured claim, and their space is `<that name>/`, as for the static tokens.
 */
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { ApiError } from '../errors.ts';
import type { UserAccount } from '../config.ts';
import type { OidcSettings } from './security-config.ts';

/** Turns a bearer JWT into its user, or throws 401 unauthorized (503 identity_unavailable when the keys cannot be fetched). */
export type JwtVerifier = (token: string) => Promise<UserAccount>;

/** The shape of a compact JWS: three base64url sections. */
export const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The user names a space may be made of (the same rule as DROPOFF_TOKENS). */
const USER_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Creates a verifier for `oidc`; the key set is fetched when first needed, cached, and refetched for an unknown key id. */
export function createJwtVerifier(oidc: OidcSettings): JwtVerifier {
  const keys = createRemoteJWKSet(new URL(oidc.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  return async (token) => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: oidc.issuer,
        audience: oidc.audience,
        algorithms: [...oidc.algorithms],
        clockTolerance: oidc.clockToleranceSeconds,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw explain(error);
    }
    const name = payload[oidc.userClaim];
    if (typeof name !== 'string' || !USER_NAME.test(name) || name === '.' || name === '..') {
      throw new ApiError('unauthorized', `The token's "${oidc.userClaim}" claim does not name a user (1-64 of A-Z a-z 0-9 . _ -).`);
    }
    return { id: name, space: `${name}/` };
  };
}

/** The API error for a failed verification, saying what was wrong without echoing the token. */
function explain(error: unknown): ApiError {
  const cause = { cause: error };
  if (error instanceof errors.JWTExpired) return new ApiError('unauthorized', 'The token has expired: sign in again.', false, cause);
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new ApiError('unauthorized', `The token's "${error.claim}" claim is not accepted (${error.reason}).`, false, cause);
  }
  // A timeout, a refused connection, a non-200 answer or a malformed key set: the provider's side, worth retrying.
  const providerSide = error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid
    || (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC') || (error instanceof Error && !(error instanceof errors.JOSEError));
  if (providerSide) {
    return new ApiError('identity_unavailable', 'The identity provider\'s keys could not be fetched; try again shortly.', true, cause);
  }
  if (error instanceof errors.JWKSNoMatchingKey) return new ApiError('unauthorized', 'The token is signed by a key the identity provider does not list.', false, cause);
  if (error instanceof errors.JOSEAlgNotAllowed) return new ApiError('unauthorized', 'The token is signed with an algorithm this server does not accept.', false, cause);
  if (error instanceof errors.JWSSignatureVerificationFailed) return new ApiError('unauthorized', 'The token\'s signature is not valid.', false, cause);
  return new ApiError('unauthorized', 'The token is not a valid JWT.', false, cause);
}
