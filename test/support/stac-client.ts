/**
 * The STAC API driven from Node's fetch the way the geoadmin docs' Python example drives it (requests.post with
 * auth=(user, password) and json=…, requests.put of each part with its Content-MD5), for the server tests.
 */
import { createHash } from 'node:crypto';

/** An answer: status, parsed JSON body, headers. */
export interface StacAnswer { status: number; body: any; headers: Headers }

/** Credentials: Basic user and password, a Bearer token, or none. */
export type Credentials = { user: string; password: string } | { token: string } | null;

/** The Authorization header for `credentials`. */
export function authorization(credentials: Credentials): Record<string, string> {
  if (!credentials) return {};
  if ('token' in credentials) return { authorization: `Bearer ${credentials.token}` };
  return { authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}` };
}

/** Sends one JSON request to the STAC API at `base`. */
export async function stac(base: string, method: string, path: string, credentials: Credentials, body?: unknown, raw?: string): Promise<StacAnswer> {
  const headers: Record<string, string> = { ...authorization(credentials), ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}) };
  const response = await fetch(`${base}${path}`, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await response.text();
  let parsed: unknown = text;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON: keep the text */ }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** base64 MD5, as `b64encode(hashlib.md5(data).digest())`. */
export function base64Md5(data: Uint8Array): string {
  return createHash('md5').update(data).digest('base64');
}

/** The sha2-256 multihash in hex, as `multihash.to_hex_string(multihash.encode(sha256, 'sha2-256'))`. */
export function sha256Multihash(data: Uint8Array): string {
  return `1220${createHash('sha256').update(data).digest('hex')}`;
}

/** md5_parts of `data` cut in `count` parts of `partSize` bytes (the last one takes the rest). */
export function md5Parts(data: Uint8Array, partSize: number, count: number): { part_number: number; md5: string }[] {
  return Array.from({ length: count }, (_, i) => ({ part_number: i + 1, md5: base64Md5(partOf(data, partSize, count, i)) }));
}

/** Part `i` (0-based) of `data` in `count` parts of `partSize`. */
export function partOf(data: Uint8Array, partSize: number, count: number, i: number): Uint8Array {
  return data.subarray(i * partSize, i === count - 1 ? data.length : (i + 1) * partSize);
}
