/**
 * The checks the upload routes make, one call each, so the routes stay readable: ownership of upload ids, object size
 * and quotas at create and sign, exact part sizes to bind into part URLs, the declared size at complete, and the cost
 * of signing against the rate limit.
 */
import { partCount } from '../../src/engine/part-plan.ts';
import type { UserAccount } from '../config.ts';
import { ApiError } from '../errors.ts';
import type { UploadStore } from '../storage/upload-store.ts';
import type { SecurityServices } from './security-services.ts';
import type { OwnedUpload } from './upload-ledger.ts';

/** Before a multipart upload is created: size limit and quota. */
export async function checkCreate(security: SecurityServices, user: UserAccount, key: string, size: number | undefined, partSize: number): Promise<void> {
  if (size !== undefined) security.limits.checkObjectSize(key, size);
  // A stream of unknown length reserves one part until it completes.
  await security.limits.checkQuota(user.id, [{ key, size: size ?? partSize }]);
}

/** After the storage created it: the upload id now belongs to this user and key, with its declared size. */
export async function recordCreated(security: SecurityServices, user: UserAccount, uploadId: string, key: string, size: number | undefined, partSize: number, takeOver: boolean): Promise<void> {
  await security.ledger.recordMultipart(user.id, uploadId, key, size, partSize, takeOver);
}

/** The upload `uploadId` if `user` created it for `key`; 404 upload_not_found otherwise. */
export function requireOwned(security: SecurityServices, user: UserAccount, uploadId: string, key: string): Promise<OwnedUpload> {
  return security.ledger.owned(user.id, uploadId, key);
}

/**
 * Before part URLs are signed: ownership, the rate limit (one point per URL), and each part's exact size, which the
 * store binds into its URL as Content-Length.
 */
export async function partsToSign<P extends { partNumber: number }>(security: SecurityServices, user: UserAccount, uploadId: string, key: string, parts: readonly P[]): Promise<(P & { size: number | undefined })[]> {
  const upload = await requireOwned(security, user, uploadId, key);
  await security.rateLimit.consume(user.id, parts.length);
  return parts.map((part) => ({ ...part, size: security.limits.partSize(upload, part.partNumber) }));
}

/**
 * Before an upload is completed: ownership, and the size declared at create (the complete must say the same size and
 * name every planned part). A stream of unknown length is measured from its parts and checked against the size limit
 * and quota; one over them is aborted.
 */
export async function checkComplete(security: SecurityServices, store: UploadStore, user: UserAccount, uploadId: string, key: string,
  size: number, parts: readonly { partNumber: number }[]): Promise<void> {
  const upload = await requireOwned(security, user, uploadId, key);
  if (upload.declaredSize !== null) {
    if (size !== upload.declaredSize) {
      throw new ApiError('size_mismatch', `The upload of "${key}" was created for ${upload.declaredSize} bytes, but the complete call says ${size}.`);
    }
    const planned = partCount(upload.declaredSize, upload.partSize);
    if (parts.length !== planned) {
      throw new ApiError('invalid_parts', `The upload of "${key}" has ${planned} part${planned === 1 ? '' : 's'}, but the complete call names ${parts.length}.`);
    }
    return;
  }
  const named = new Set(parts.map((p) => p.partNumber));
  let listed;
  try {
    listed = await store.listParts(key, uploadId);
  } catch (error) {
    // s3rver cannot list parts: the embedded default (one machine, one user at a time) completes streams unmeasured.
    // An upload the storage no longer knows (completed by an earlier call, or aborted) is for the complete to judge.
    if (error instanceof ApiError && (error.code === 'not_supported' || error.code === 'upload_not_found')) return;
    throw error;
  }
  const total = listed.filter((p) => named.has(p.partNumber)).reduce((sum, p) => sum + p.size, 0);
  try {
    security.limits.checkObjectSize(key, total);
    await security.limits.checkQuota(user.id, [{ key, size: total - upload.partSize }]);
  } catch (error) {
    await store.abort(key, uploadId).catch(() => undefined);
    await security.ledger.close(uploadId);
    throw error;
  }
}

/** After a complete or an abort: the upload no longer counts as bytes in flight. */
export function recordClosed(security: SecurityServices, uploadId: string): Promise<void> {
  return security.ledger.close(uploadId);
}

/**
 * Before single PUTs are signed: size limit and quota over all of them, one rate-limit point per URL; afterwards
 * their sizes stay reserved until confirmed or their URLs expire.
 */
export async function checkSignObjects(security: SecurityServices, user: UserAccount, objects: readonly { key: string; size: number }[]): Promise<void> {
  for (const object of objects) security.limits.checkObjectSize(object.key, object.size);
  await security.rateLimit.consume(user.id, objects.length);
  await security.limits.checkQuota(user.id, objects);
}

/**
 * Before a confirm reads its objects back: one rate-limit point per object, as signing costs one per URL. The confirm
 * reads a small object whole (up to 1 MiB by default) and may be repeated, so a free read would let one call make the
 * server read a gigabyte.
 */
export async function checkConfirmObjects(security: SecurityServices, user: UserAccount, objects: readonly unknown[]): Promise<void> {
  await security.rateLimit.consume(user.id, objects.length);
}

/** After single PUTs were signed: reserve their sizes until `expiresAt`. */
export function recordSignedObjects(security: SecurityServices, user: UserAccount, objects: readonly { key: string; size: number }[], expiresAt: string | undefined): Promise<void> {
  return security.ledger.reserveSingles(user.id, objects, new Date(expiresAt ?? Date.now() + 3600_000));
}

/** After single PUTs were confirmed: their reservations end (the records now hold what was stored). */
export function recordConfirmedObjects(security: SecurityServices, user: UserAccount, keys: readonly string[]): Promise<void> {
  return security.ledger.releaseSingles(user.id, keys);
}
