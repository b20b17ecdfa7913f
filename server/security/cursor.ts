/**
 * Opaque page cursors for GET /objects. The records page by submission id, a sequence shared by all users; a cursor
 * that showed it would tell one user how much everyone else submits. So the id is sealed (jose: JWE, direct
 * AES-256-GCM) together with the user and prefix it was given for: it reveals nothing, cannot be forged, and is refused
 * for another user or prefix. Instances that share a database must share DROPOFF_CURSOR_SECRET for their cursors to
 * work on each other.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { ApiError } from '../errors.ts';

/** Seals and opens cursors with one key. */
export class CursorSealer {
  private readonly key: Uint8Array;

  /** @param secret any string; undefined: a random key of this process (cursors then die with it) */
  constructor(secret?: string) {
    this.key = secret ? createHash('sha256').update(`dropoff-cursor:${secret}`).digest() : randomBytes(32);
  }

  /** The cursor for continuing after submission `id` in `userId`'s listing of `prefix`. */
  seal(id: number, userId: string, prefix: string): Promise<string> {
    return new EncryptJWT({ id, u: userId, p: prefix }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setIssuedAt().setExpirationTime('1d').encrypt(this.key);
  }

  /** The submission id in `cursor`; 400 invalid_request when it is not one this server gave `userId` for `prefix`. */
  async open(cursor: string, userId: string, prefix: string): Promise<number> {
    try {
      const { payload } = await jwtDecrypt(cursor, this.key);
      if (payload.u === userId && payload.p === prefix && typeof payload.id === 'number' && Number.isSafeInteger(payload.id)) return payload.id;
    } catch {
      // Falls through to the same answer as a cursor for another listing.
    }
    throw new ApiError('invalid_request', 'Invalid query: cursor must be the cursor a previous page of this listing gave (cursors last a day).');
  }
}
