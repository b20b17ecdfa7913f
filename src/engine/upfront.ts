/**
 * An object through a protocol that signs every part when the upload is created, and only then (the optional
 * capability SignsAtCreate; the STAC asset upload is one). Loaded on first use (its default export), since only
 * such protocols need it.
 *
 * How one attempt goes, and why:
 * 1. Digests. The create request carries every part's MD5 and the whole file's SHA-256, so the whole file is read and
 *    hashed first (`bytesBuffered` reaches the size before `bytesDone` moves). The part size is raised until the file
 *    fits in the protocol's part limit (signed-part-plan.ts). The digests stay with the task for later attempts of
 *    this page, and in the resume record for a later page.
 * 2. The upload. A resume record (after a reload) or an earlier attempt names an upload: its first part is hashed
 *    again to tell this file from another with the same fingerprint, and while its URLs are valid the storage is
 *    asked which parts it holds (those are not sent again). When the server no longer knows the upload, or its URLs
 *    have expired, a new one is created (the old one aborted first). Create failures are the protocol's to classify:
 *    the adapter marks what may be retried.
 * 3. Parts. Each part goes to the URL the create answered, with its Content-MD5, through the queue every object
 *    shares. A failed PUT does what the protocol's `partFailure` says: retry with backoff, abort the upload and fail,
 *    or fail and keep the upload for a later retry. A 403, or a URL past its expiry, means the URLs expired: the
 *    upload is aborted and created again (new URLs), a bounded number of times.
 * 4. Complete, with every part's ETag; nothing is reported stored that the server has not confirmed.
 */
import type { PartFailureAction, SignedPartUrl, SignsAtCreate } from '../protocol/upload-api.ts';
import { RESUME_RECORD_VERSION } from '../store/resume-record.ts';
import { partCount } from './part-plan.ts';
import { abortOnServer, callWithRetries, hashStep, storedObject } from './server-call.ts';
import { chooseCappedPartSize, partBytes } from './signed-part-plan.ts';
import type { UploadContext } from './upload-context.ts';
import type { CompleteDetail } from './upload-events.ts';
import { UploadError } from './upload-error.ts';
import type { UploadTask } from './upload-task.ts';

// This module is a chunk of its own in the element's bundle: every engine helper it imports must be exported by the
// bundle, at a few bytes each, so the one-line ones (state moves, record drops) are written out here, and aborts
// throw the signal's own reason (AbortSignal.throwIfAborted), which the engine takes for a pause or cancel.

/** A file's digests, as its upload was (or will be) created with them, and the URLs of that upload. */
interface Digests {
  /** Part size the digests were taken at. */
  readonly partSize: number;
  /** Base64 MD5 of each part, in part order. */
  readonly md5s: readonly string[];
  /** Lowercase hex SHA-256 of the whole file. */
  readonly sha256: string;
  /** The URLs of the task's current upload, by part number. */
  urls: Map<number, SignedPartUrl>;
}

/** Digests of the tasks of this page, kept across pause, resume and retry (a File's bytes are hashed once). */
const digestsOf = new WeakMap<UploadTask, Digests>();

/** URLs this close to their expiry are renewed before any part is sent with them. */
export const EXPIRY_MARGIN_MS = 30_000;

/** Times one attempt creates the upload again because its URLs expired, before it gives up. */
export const MAX_RENEWALS = 2;

/** Parts being hashed at once: enough to keep the hash workers busy, few enough to stop soon after a pause. */
const HASH_WINDOW = 8;

/** The URLs of the current upload expired (a 403 from the storage, or past their time). */
class UrlsExpired extends Error {
  constructor(readonly partNumber: number, options?: { cause?: unknown }) {
    super(`The URL of part ${partNumber} has expired.`, options);
    this.name = 'UrlsExpired';
  }
}

/** Errors after which the upload is aborted on the server before the file fails (the protocol's `abort`). */
const abortsUpload = new WeakSet<UploadError>();

let sessionCounter = 0;

/** Uploads `task` through a protocol that signs at create; resolves with the stored object. */
export default async function uploadSignedAtCreate(task: UploadTask, ctx: UploadContext, signal: AbortSignal): Promise<CompleteDetail> {
  const policy = ctx.api.signsAtCreate!;
  if (task.source.kind !== 'blob') {
    throw new UploadError('not_supported', "This server needs every part's MD5 and the whole file's SHA-256 before the upload starts, and a stream cannot be read twice: upload a file or a Blob instead.");
  }
  const blob = task.source.blob;
  let partSize: number;
  try {
    partSize = chooseCappedPartSize(blob.size, task.partSize, policy.maxParts);
  } catch (error) {
    throw new UploadError('too_large', (error as Error).message, { cause: error });
  }
  setState(task, ctx, 'hashing');
  let digests = digestsOf.get(task) ?? await resumed(task, ctx, blob, signal);
  if (!digests) {
    if (task.uploadId) await giveUp(task, ctx, 'its digests are gone');
    digests = await hashFile(task, ctx, blob, partSize, signal);
  }
  digestsOf.set(task, digests);
  task.bytesBuffered = blob.size;
  ctx.onProgress(task);
  try {
    for (let renewals = 0; ; renewals++) {
      signal.throwIfAborted();
      // URLs from an earlier attempt or page are renewed when they are about to expire; fresh ones are used as they
      // are (a server may hand out URLs that live less than the margin).
      if (task.uploadId && renewals === 0 && expiresSoon(task, digests)) await giveUp(task, ctx, 'its part URLs have expired');
      if (task.uploadId && renewals === 0) await reconcile(task, ctx, digests, signal);
      if (!task.uploadId) await create(task, ctx, digests, signal);
      try {
        await sendParts(task, ctx, policy, blob, digests, signal);
        break;
      } catch (error) {
        if (!(error instanceof UrlsExpired) || signal.aborted) throw error;
        if (renewals >= MAX_RENEWALS) {
          const refused = new UploadError('storage_rejected', `The storage refused part ${error.partNumber} with 403 even after the upload was created again with new URLs ${MAX_RENEWALS} times; check the clocks and credentials of the server and the storage.`, { status: 403, cause: error.cause });
          abortsUpload.add(refused);
          throw refused;
        }
        await giveUp(task, ctx, `the storage refused part ${error.partNumber} with 403 (its URL expired)`);
      }
    }
  } catch (error) {
    if (error instanceof UploadError && abortsUpload.has(error) && !signal.aborted) {
      await giveUp(task, ctx, error.message);
      digestsOf.delete(task);
    }
    throw signal.aborted ? signal.reason : error;
  }
  setState(task, ctx, 'completing');
  const uploadId = task.uploadId!;
  const parts = [...task.finished].sort(([a], [b]) => a - b).map(([partNumber, p]) => ({ partNumber, etag: p.etag }));
  const size = blob.size;
  const completed = await callWithRetries(task, ctx, () => ctx.api.completeUpload(uploadId, { key: task.key, size, sha256: digests.sha256, parts }, signal), signal);
  digestsOf.delete(task);
  await dropRecord(task, ctx);
  return storedObject(task, completed, digests.sha256, uploadId);
}

/** Reads and hashes the whole file: every part's MD5 and the file's SHA-256, in one pass. */
async function hashFile(task: UploadTask, ctx: UploadContext, blob: Blob, partSize: number, signal: AbortSignal): Promise<Digests> {
  const session = `${task.id}#signed-${++sessionCounter}`;
  const count = partCount(blob.size, partSize);
  task.bytesBuffered = 0;
  ctx.onProgress(task);
  const md5s: Promise<string>[] = [];
  const fed: Promise<unknown>[] = [];
  try {
    for (let n = 1; n <= count; n++) {
      signal.throwIfAborted();
      // Calls for one session are made in file order: the pool applies the SHA-256 updates in that order.
      if (n > HASH_WINDOW) await md5s[n - 1 - HASH_WINDOW];
      const hashed = ctx.hasher.hashPart(session, partBytes(blob, partSize, n), false);
      const md5 = hashStep(hashed.md5).then((digest) => {
        task.bytesBuffered += digest.bytes;
        ctx.onProgress(task);
        return digest.md5;
      });
      md5.catch(() => undefined);
      md5s.push(md5);
      const step = hashStep(hashed.sha256);
      step.catch(() => undefined);
      fed.push(step);
    }
    const all = await Promise.all(md5s);
    await Promise.all(fed);
    signal.throwIfAborted();
    return { partSize, md5s: all, sha256: await hashStep(ctx.hasher.sha256Finish(session)), urls: new Map() };
  } catch (error) {
    ctx.hasher.discard(session);
    throw signal.aborted ? signal.reason : error;
  }
}

/**
 * The digests and upload a resume record (from an earlier page) keeps, when its first part still has the MD5 recorded:
 * the fingerprint (name, size, date, type) can match another file. Otherwise the record is dropped and its upload
 * aborted.
 */
async function resumed(task: UploadTask, ctx: UploadContext, blob: Blob, signal: AbortSignal): Promise<Digests | undefined> {
  const record = task.resumeRecord;
  task.resumeRecord = undefined;
  if (!record || task.uploadId) return undefined;
  const signed = record.signed;
  const count = partCount(blob.size, record.partSize);
  const usable = signed !== undefined && signed.md5s.length === count && signed.urls.length === count;
  if (usable && (await hashStep(ctx.hasher.md5(partBytes(blob, record.partSize, 1)))).md5 === signed.md5s[0]) {
    signal.throwIfAborted();
    task.uploadId = record.uploadId;
    task.finished.clear();
    for (const [n, part] of Object.entries(record.parts)) task.finished.set(Number(n), part);
    ctx.log(`${task.key}: resuming upload ${record.uploadId} with ${task.finished.size} parts recorded`);
    return { partSize: record.partSize, md5s: [...signed.md5s], sha256: signed.sha256, urls: new Map(signed.urls.map((u) => [u.partNumber, u])) };
  }
  ctx.log(`${task.key}: the resume record is of another file or format; starting over`);
  await abortOnServer(ctx, record.uploadId, record.key);
  await dropRecord(task, ctx);
  return undefined;
}

/** True when a part still to send has a URL that is past, or within the margin of, its expiry. */
function expiresSoon(task: UploadTask, digests: Digests): boolean {
  const soon = Date.now() + EXPIRY_MARGIN_MS;
  for (let n = 1; n <= digests.md5s.length; n++) {
    if (task.finished.has(n)) continue;
    const url = digests.urls.get(n);
    if (!url || Date.parse(url.expiresAt) <= soon) return true;
  }
  return false;
}

/**
 * Asks the storage which parts it holds for the task's upload: those (with the expected size, and the expected MD5
 * where the ETag is one) count as sent. When the server no longer knows the upload, it is forgotten (a new one is
 * created); without the listing capability the local record is all there is.
 */
async function reconcile(task: UploadTask, ctx: UploadContext, digests: Digests, signal: AbortSignal): Promise<void> {
  if (typeof ctx.api.listParts !== 'function') return;
  const blob = (task.source as { blob: Blob }).blob;
  try {
    const stored = await callWithRetries(task, ctx, () => ctx.api.listParts!(task.uploadId!, task.key, signal), signal);
    task.finished.clear();
    for (const part of stored) {
      const etag = part.etag.replaceAll('"', '');
      const md5 = digests.md5s[part.partNumber - 1];
      if (md5 === undefined || part.size !== partBytes(blob, digests.partSize, part.partNumber).size || (/^[0-9a-f]{32}$/.test(etag) && etag !== hexOf(md5))) continue;
      task.finished.set(part.partNumber, { etag: part.etag, size: part.size });
    }
    ctx.onProgress(task);
  } catch (error) {
    if (error instanceof UploadError && error.kind === 'not_supported') return;
    if (!(error instanceof UploadError && error.kind === 'not_found')) throw error;
    ctx.log(`${task.key}: the server no longer knows upload ${task.uploadId}; creating a new one`);
    task.uploadId = undefined;
    task.finished.clear();
    await dropRecord(task, ctx);
  }
}

/** Creates the upload with every digest; the answer must hold a URL for every part. Writes the resume record. */
async function create(task: UploadTask, ctx: UploadContext, digests: Digests, signal: AbortSignal): Promise<void> {
  const count = digests.md5s.length;
  const created = await callWithRetries(task, ctx, () => ctx.api.createUpload({
    key: task.key, category: task.category, size: task.size, contentType: task.contentType, partSize: digests.partSize, takeOver: ctx.takeOver,
    parts: digests.md5s.map((md5, i) => ({ partNumber: i + 1, md5 })), sha256: digests.sha256,
  }, signal), signal);
  const urls = new Map((created.urls ?? []).map((u) => [u.partNumber, u]));
  task.uploadId = created.uploadId;
  task.finished.clear();
  ctx.onProgress(task);
  if (Array.from({ length: count }, (_, i) => i + 1).some((n) => !urls.has(n))) {
    await giveUp(task, ctx, 'the server did not sign every part');
    throw new UploadError('server', `The server answered the new upload with URLs for ${urls.size} of its ${count} parts; it must sign them all at once.`);
  }
  digests.urls = urls;
  if (!task.fingerprint || !ctx.store || task.small) return;
  const now = Date.now();
  await ctx.store.put({
    version: RESUME_RECORD_VERSION, fingerprint: task.fingerprint, endpoint: ctx.endpoint, key: task.key, uploadId: created.uploadId,
    name: task.name, size: task.size ?? 0, partSize: digests.partSize, parts: {}, createdAt: now, updatedAt: now, firstPartMd5: digests.md5s[0],
    signed: { urls: [...urls.values()], md5s: digests.md5s, sha256: digests.sha256 },
    ...(task.handle ? { handle: task.handle } : {}), ...(task.lastModified !== undefined ? { lastModified: task.lastModified } : {}),
  }).catch((error: unknown) => ctx.log(`${task.key}: could not write the resume record (${String(error)}); going on without`));
}

/** Sends every part not yet held, through the shared queue; the first failure stops the others. */
async function sendParts(task: UploadTask, ctx: UploadContext, policy: SignsAtCreate, blob: Blob, digests: Digests, signal: AbortSignal): Promise<void> {
  if (task.state === 'hashing') setState(task, ctx, 'uploading');
  const failure = new AbortController();
  const partSignal = AbortSignal.any([signal, failure.signal]);
  let first: unknown;
  const jobs: Promise<void>[] = [];
  for (let n = 1; n <= digests.md5s.length; n++) {
    if (task.finished.has(n)) continue;
    jobs.push(ctx.partQueue.add(() => sendPart(task, ctx, policy, blob, digests, n, partSignal), { signal: partSignal }).catch((error: unknown) => {
      if (first === undefined && !partSignal.aborted) first = error;
      failure.abort();
    }));
  }
  await Promise.all(jobs);
  signal.throwIfAborted();
  if (first !== undefined) throw first;
}

/** PUTs part `n` to its URL with its Content-MD5, retrying as the protocol says; records it once stored. */
async function sendPart(task: UploadTask, ctx: UploadContext, policy: SignsAtCreate, blob: Blob, digests: Digests, n: number, signal: AbortSignal): Promise<void> {
  const body = partBytes(blob, digests.partSize, n);
  const md5 = digests.md5s[n - 1]!;
  const etag = await callWithRetries(task, ctx, async () => {
    const signed = digests.urls.get(n)!;
    if (Date.parse(signed.expiresAt) <= Date.now()) throw new UrlsExpired(n);
    task.inFlight.set(n, 0);
    try {
      return (await ctx.transport.put({ url: signed.url, headers: { ...signed.headers, 'Content-MD5': md5 }, body }, (sent) => {
        task.inFlight.set(n, sent);
        ctx.onProgress(task);
      }, signal)).etag;
    } catch (error) {
      task.inFlight.delete(n);
      ctx.onProgress(task);
      throw partFailure(error, n, policy);
    }
  }, signal);
  task.inFlight.delete(n);
  const finished = { etag, size: body.size };
  task.finished.set(n, finished);
  ctx.onProgress(task);
  if (task.fingerprint && !task.small) await ctx.store?.addPart(task.fingerprint, n, finished).catch(() => undefined);
}

/** What a failed part PUT becomes under the protocol's policy: retryable, fatal, fatal and aborting, or expired URLs. */
function partFailure(error: unknown, partNumber: number, policy: SignsAtCreate): unknown {
  if (!(error instanceof UploadError) || error.status === 0) return error;
  if (error.status === 403) return new UrlsExpired(partNumber, { cause: error });
  const action = policy.partFailure?.(error.status) ?? defaultPartFailure(error.status);
  const then = action === 'stop' ? ' The upload is kept on the server: retry to continue it.' : ' The upload was aborted on the server.';
  const failure = new UploadError(error.code, action === 'retry' ? error.message : `Part ${partNumber}: ${error.message}${then}`, {
    retryable: action === 'retry', status: error.status, serverCode: error.serverCode, request: error.request, responseBody: error.responseBody,
    retryAfterMs: error.retryAfterMs, kind: action === 'retry' ? 'retryable' : error.kind === 'retryable' ? 'failed' : error.kind, cause: error,
  });
  if (action === 'abort') abortsUpload.add(failure);
  return failure;
}

/** What a refused part PUT calls for when the protocol does not say: gateway failures pass, a bad request aborts. */
function defaultPartFailure(status: number): PartFailureAction {
  return status >= 502 && status <= 504 ? 'retry' : status === 400 ? 'abort' : 'stop';
}

/** Aborts the task's upload on the server (a failure is only logged) and forgets it and its record. */
async function giveUp(task: UploadTask, ctx: UploadContext, why: string): Promise<void> {
  if (!task.uploadId) return;
  ctx.log(`${task.key}: aborting upload ${task.uploadId}: ${why}`);
  await abortOnServer(ctx, task.uploadId, task.key);
  task.uploadId = undefined;
  task.finished.clear();
  ctx.onProgress(task);
  await dropRecord(task, ctx);
}


/** Moves the task to `state` and tells the engine. */
function setState(task: UploadTask, ctx: UploadContext, state: UploadTask['state']): void {
  if (task.moveTo(state)) ctx.onState(task);
}

/** Drops the task's resume record (a failure to is harmless: the record expires). */
async function dropRecord(task: UploadTask, ctx: UploadContext): Promise<void> {
  if (task.fingerprint) await ctx.store?.remove(task.fingerprint).catch(() => undefined);
}

/** Lowercase hex of a base64 digest. */
function hexOf(base64: string): string {
  return Array.from(atob(base64), (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}
