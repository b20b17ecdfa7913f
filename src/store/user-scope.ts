/**
 * Which user resume records belong to, as far as the page can tell from the bearer token, so that on a shared browser
 * profile one user never sees (or resumes) another's unfinished uploads. The token itself is never stored: a JWT is
 * named by its issuer and subject, any other token by a short SHA-256 prefix.
 */

/** A token source as the element holds it. */
export type ScopeTokenSource = () => string | undefined | Promise<string | undefined>;

/** The scope of `token`; undefined without a token (records are then shared by everyone on the page, as before). */
export async function userScope(token: string | undefined): Promise<string | undefined> {
  if (!token) return undefined;
  const parts = token.split('.');
  if (parts.length === 3) {
    try {
      const payload = JSON.parse(atob(parts[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { iss?: unknown; sub?: unknown };
      if (typeof payload.sub === 'string') return `jwt:${String(payload.iss ?? '')} ${payload.sub}`;
    } catch {
      // Not a JWT after all: fall back to the hash.
    }
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  // 8 bytes tell users apart without keeping enough of a token's hash to test guesses against.
  return `token:${Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
