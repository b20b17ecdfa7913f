/**
 * What the server answers about a stored object once a client says it is complete: what the storage really holds,
 * and whether that is what the client sent.
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from './errors.ts';
import type { UploadStore } from './storage/upload-store.ts';
import type { SubmissionStatus } from './records/submissions.ts';
import { otherSize, type Validator } from './records/validator.ts';

/** Object metadata the server writes on every upload, readable with HeadObject. */
export const METADATA = { user: 'dropoff-user', category: 'dropoff-category', token: 'dropoff-token' } as const;

/** The answer to complete and confirm. */
export interface SubmissionReport {
  /** Object key. */
  readonly key: string;
  /** Bytes the storage holds. */
  readonly size: number;
  /** The storage's ETag. */
  readonly etag: string;
  /** The client's SHA-256, as sent. */
  readonly sha256: string;
  /** Category, from the object's metadata. */
  readonly category: string;
  /** VALIDATING when the storage holds an object of the size sent (validation follows), FAILED otherwise. */
  readonly status: SubmissionStatus;
  /** Why it failed. */
  readonly message?: string;
  /**
   * `digest_mismatch` when the object's ETag is not the MD5 the client hashed: the bytes were changed on the way, and
   * sending the file again (signed again) can succeed. Absent for other failures.
   */
  readonly reason?: 'digest_mismatch';
  /** The submission's upload token found in the object's metadata (not sent to clients). */
  readonly token?: string | null;
  /**
   * For a small object read whole by the confirm: why it is not valid, or null when it is (not sent to clients).
   * Absent when validation is left to a job.
   */
  readonly validated?: string | null;
}

/**
 * Reads `key` back from the storage and judges it against the `size` the client sent and, for an object stored in one
 * piece by a form POST (which cannot carry Content-MD5), the client's `md5`: such an object's ETag is its MD5.
 *
 * With a `validator`, an object up to its `confirmMaxBytes` is read whole (one GET where a HEAD was, and no second
 * read by a validation job): the report then carries the validation's outcome in `validated`. Its status stays
 * `VALIDATING`, as for every object stored as sent: the answer to the client is about the upload, and a file of the
 * wrong content was still uploaded without a byte lost.
 */
export async function reportStored(store: UploadStore, key: string, size: number, sha256: string, md5?: string, validator?: Validator): Promise<SubmissionReport> {
  // The validator judges this object from the one read when it is small enough; otherwise a HEAD, and a job later.
  const judging = validator !== undefined && size <= validator.confirmMaxBytes ? validator : undefined;
  const read = judging ? await store.readBack(key, judging.headBytes, size) : undefined;
  const stored = judging ? read : await store.head(key);
  if (!stored) return { key, size: 0, etag: '', sha256, category: '', status: 'FAILED', message: 'The storage holds no object under this key.' };
  const report = { key, size: stored.size, etag: stored.etag, sha256, category: stored.metadata[METADATA.category] ?? '', token: stored.metadata[METADATA.token] ?? null };
  if (stored.size !== size) return { ...report, status: 'FAILED', message: otherSize(stored.size, size) };
  const etagHex = stored.etag.replaceAll('"', '');
  if (md5 !== undefined && /^[0-9a-f]{32}$/.test(etagHex) && etagHex !== Buffer.from(md5, 'base64').toString('hex')) {
    return { ...report, status: 'FAILED', reason: 'digest_mismatch', message: 'The storage holds other bytes than the client hashed (its ETag is not their MD5).' };
  }
  if (!judging || !read) return { ...report, status: 'VALIDATING' };
  return { ...report, status: 'VALIDATING', validated: judging.judge({ size, sha256, category: report.category }, read) ?? null };
}

/** A random token tying a stored object (its metadata) to its submission record. */
export function newUploadToken(): string {
  return randomBytes(16).toString('base64url');
}

/** Refuses a batch that names a key twice: each entry would cost a read and a validation for one object. */
export function refuseDuplicateKeys(objects: readonly { key: string }[]): void {
  const seen = new Set<string>();
  for (const { key } of objects) {
    if (seen.has(key)) throw new ApiError('invalid_request', `Invalid request body: the key ${JSON.stringify(key)} appears more than once in the batch.`);
    seen.add(key);
  }
}
