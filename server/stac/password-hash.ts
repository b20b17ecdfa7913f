/**
 * Password hashes for HTTP Basic users of the STAC API, with node:crypto's scrypt (memory-hard, built into Node, so
 * no native module to install). A hash is one string without `:` or `,`, so it fits a `user:hash` list:
 * `scrypt$<N>$<r>$<p>$<salt, base64url>$<key, base64url>`.
 *
 * Make one with `npx tsx server/stac/password-hash.ts` (reads the password from standard input, prints the hash).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt's cost parameters for new hashes: N = 2^15 takes about 90 ms and 32 MiB here. */
const COST = { N: 32768, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const HASH_SHAPE = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{43})$/;

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem: scrypt needs 128 * N * r bytes; Node's default cap (32 MiB) is just too small for N = 2^15.
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** True when `encoded` has the shape of a hash made by {@link hashPassword}. */
export function isPasswordHash(encoded: string): boolean {
  const match = HASH_SHAPE.exec(encoded);
  if (!match) return false;
  const N = Number(match[1]);
  // A power of two between 2^10 and 2^20, as scrypt requires and a server can afford.
  return N >= 1024 && N <= 1 << 20 && (N & (N - 1)) === 0 && Number(match[2]) >= 1 && Number(match[2]) <= 32 && Number(match[3]) >= 1 && Number(match[3]) <= 16;
}

/** Hashes `password` with a fresh random salt. */
export async function hashPassword(password: string, cost: { N: number; r: number; p: number } = COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Whether `password` matches `encoded` (compared in constant time). False for a malformed hash. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const match = HASH_SHAPE.exec(encoded);
  if (!match || !isPasswordHash(encoded)) return false;
  const expected = Buffer.from(match[5]!, 'base64url');
  const key = await derive(password, Buffer.from(match[4]!, 'base64url'), { N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  // The password comes on standard input, never as an argument (which `ps` and shell history would show).
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (!password) {
    process.stderr.write('Give the password on standard input, e.g.: printf %s "$PASSWORD" | npx tsx server/stac/password-hash.ts\n');
    process.exitCode = 1;
  } else {
    process.stdout.write(`${await hashPassword(password)}\n`);
  }
}
