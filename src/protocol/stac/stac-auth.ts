/**
 * Credentials for the STAC API: HTTP Basic (user and password, older deployments) or a Bearer token (newer ones, e.g.
 * a JWT), as the `Authorization` header of every call to the API (never of the part PUTs: those are presigned).
 */
import type { TokenSource } from '../dropoff-api.ts';

/** Basic credentials. */
export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** Basic credentials, or a Bearer token (a string or a function called before every request). */
export type StacCredentials = { readonly basic: BasicCredentials } | { readonly token: TokenSource } | undefined;

/** The Authorization header for `credentials`; undefined when there are none. */
export async function authorization(credentials: StacCredentials): Promise<string | undefined> {
  if (!credentials) return undefined;
  if ('basic' in credentials) {
    // RFC 7617: user-id ":" password, in UTF-8, base64.
    const bytes = new TextEncoder().encode(`${credentials.basic.username}:${credentials.basic.password}`);
    return `Basic ${btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''))}`;
  }
  const token = typeof credentials.token === 'function' ? await credentials.token() : credentials.token;
  return token ? `Bearer ${token}` : undefined;
}
