/**
 * One file's multipart upload: resume or create, hash parts in order, send them through the shared part queue,
 * record each confirmed part, complete. Pausing or cancelling aborts `signal`; the task keeps what was confirmed.
 */
import type PQueue from 'p-queue';
import { ApiRequestError } from '../protocol/api-error.ts';
import type { UploadApi } from '../protocol/upload-api.ts';
import type { ResumeStore } from '../store/resume-record.ts';
import { RESUME_RECORD_VERSION } from '../store/resume-record.ts';
import { HashError, type PartHasher } from '../worker/hash-client.ts';
import { planParts, type PlannedPart } from './part-plan.ts';
import type { PartTransport } from './part-transport.ts';
import { withRetries } from './retry.ts';
import { Slots } from './slots.ts';
import type { CompleteDetail } from './upload-events.ts';
import { AbortedError, UploadError, throwIfAborted } from './upload-error.ts';
import type { UploadTask } from './upload-task.ts';

/** What an object upload needs from the engine. */
export interface ObjectUploadContext {
  readonly api: UploadApi;
  readonly hasher: PartHasher;
  readonly transport: PartTransport;
  readonly store: ResumeStore | undefined;
  /** The queue every part PUT of every file goes through (part concurrency). */
  readonly partQueue: PQueue;
  /** The server's endpoint, kept in resume records. */
  readonly endpoint: string;
  /** Retries per step. */
  readonly maxRetries: number;
  /** Most parts of one file hashed but not yet confirmed. */
  readonly hashAhead: number;
  /** Called whenever the task's bytes moved. */
  readonly onProgress: (task: UploadTask) => void;
  /** Called when the task's state changes. */
  readonly onState: (task: UploadTask) => void;
  /** Diagnostics. */
  readonly log: (message: string) => void;
}

let sessionCounter = 0;

/** Uploads `task`'s file; resolves with the stored object or rejects with UploadError / AbortedError. */
export async function uploadObject(task: UploadTask, ctx: ObjectUploadContext, signal: AbortSignal): Promise<CompleteDetail> {
  await openUpload(task, ctx, signal);
  const uploadId = task.uploadId!;
  const session = `${task.id}#${++sessionCounter}`;
  const failure = new AbortController();
  const partSignal = AbortSignal.any([signal, failure.signal]);
  let firstError: unknown;
  const fail = (error: unknown) => {
    firstError ??= error;
    failure.abort();
  };
  const window = new Slots(ctx.hashAhead);
  const sending: Promise<void>[] = [];
  task.bytesBuffered = 0;
  setState(task, ctx, 'hashing');
  try {
    for (const part of planParts(task.size, task.partSize)) {
      await window.acquire(partSignal);
      const blob = task.file.slice(part.start, part.end);
      let md5: string;
      try {
        md5 = (await ctx.hasher.hashPart(session, blob, true)).md5;
      } catch (error) {
        window.release();
        throw hashFailure(error);
      }
      task.bytesBuffered += part.end - part.start;
      ctx.onProgress(task);
      const confirmed = task.finished.get(part.partNumber);
      if (confirmed) {
        window.release();
        if (/^"?[0-9a-f]{32}"?$/.test(confirmed.etag) && confirmed.etag.replaceAll('"', '') !== base64ToHex(md5)) {
          throw new UploadError('file_unreadable', `Part ${part.partNumber} was stored from different bytes than the file now holds: the file changed since the upload began. Cancel and upload it again.`);
        }
        continue;
      }
      if (task.state === 'hashing') setState(task, ctx, 'uploading');
      const job = ctx.partQueue.add(() => sendPart(task, uploadId, part, md5, blob, ctx, partSignal), { signal: partSignal });
      sending.push(job.then(() => window.release(), (error: unknown) => { window.release(); fail(error); }));
    }
  } catch (error) {
    fail(error);
  }
  await Promise.all(sending);
  if (firstError !== undefined || signal.aborted) {
    ctx.hasher.discard(session);
    throw signal.aborted ? new AbortedError() : firstError;
  }
  const sha256 = await ctx.hasher.finish(session);
  setState(task, ctx, 'completing');
  const parts = [...task.finished].sort(([a], [b]) => a - b).map(([partNumber, p]) => ({ partNumber, etag: p.etag }));
  const completed = await withRetries(
    () => callServer(() => ctx.api.completeUpload(uploadId, { key: task.key, size: task.size, sha256, parts }, signal), signal),
    signal, { maxRetries: ctx.maxRetries });
  await ctx.store?.remove(task.fingerprint).catch(() => undefined);
  if (completed.status !== 'ACCEPTED') {
    throw new UploadError('verification_failed', completed.message ?? 'The server did not accept the stored object.');
  }
  return {
    key: task.key, name: task.name, size: completed.size, sha256, etag: completed.etag,
    category: completed.category, status: completed.status, uploadId,
  };
}

/** Continues the upload a resume record or an earlier attempt names, or creates a new one. */
async function openUpload(task: UploadTask, ctx: ObjectUploadContext, signal: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  if (!task.uploadId && ctx.store) {
    const record = await ctx.store.get(task.fingerprint).catch(() => undefined);
    if (record && record.size === task.size && record.key === task.key && record.partSize >= 1) {
      task.uploadId = record.uploadId;
      task.partSize = record.partSize;
      for (const [n, part] of Object.entries(record.parts)) task.finished.set(Number(n), part);
      ctx.log(`${task.key}: resuming upload ${record.uploadId} with ${task.finished.size} parts recorded`);
    }
  }
  if (task.uploadId) {
    try {
      const stored = await callServer(() => ctx.api.listParts(task.uploadId!, task.key, signal), signal);
      const byNumber = new Map(stored.map((p) => [p.partNumber, p]));
      for (const [n, part] of task.finished) {
        if (byNumber.get(n)?.etag.replaceAll('"', '') !== part.etag.replaceAll('"', '')) task.finished.delete(n);
      }
      return;
    } catch (error) {
      if (error instanceof UploadError && error.serverCode === 'not_supported') {
        ctx.log(`${task.key}: the storage cannot list parts; trusting the ${task.finished.size} parts recorded locally`);
        return;
      }
      if (!(error instanceof UploadError && error.serverCode === 'upload_not_found')) throw error;
      ctx.log(`${task.key}: the storage no longer knows upload ${task.uploadId}; starting over`);
      task.uploadId = undefined;
      task.finished.clear();
      await ctx.store?.remove(task.fingerprint).catch(() => undefined);
    }
  }
  const created = await withRetries(() => callServer(() => ctx.api.createUpload({
    key: task.key, category: task.category, size: task.size, contentType: task.file.type || 'application/octet-stream', partSize: task.partSize,
  }, signal), signal), signal, { maxRetries: ctx.maxRetries });
  task.uploadId = created.uploadId;
  task.partSize = created.partSize;
  task.finished.clear();
  const now = Date.now();
  await ctx.store?.put({
    version: RESUME_RECORD_VERSION, fingerprint: task.fingerprint, endpoint: ctx.endpoint, key: task.key, uploadId: created.uploadId,
    name: task.name, size: task.size, partSize: created.partSize, parts: {}, createdAt: now, updatedAt: now,
  }).catch((error: unknown) => ctx.log(`${task.key}: could not write the resume record (${String(error)}); the upload continues without`));
}

/** Signs and PUTs one part, with retries; records it once the storage confirms it. */
async function sendPart(task: UploadTask, uploadId: string, part: PlannedPart, md5: string, blob: Blob, ctx: ObjectUploadContext, signal: AbortSignal): Promise<void> {
  let forbiddenRetried = false;
  const { etag } = await withRetries(async () => {
    const [signed] = await callServer(() => ctx.api.signParts(uploadId, task.key, [{ partNumber: part.partNumber, md5 }], signal), signal);
    if (!signed) throw new UploadError('server', 'The server signed no URL for the part.');
    task.inFlight.set(part.partNumber, 0);
    try {
      return await ctx.transport.put({ url: signed.url, headers: signed.headers, body: blob }, (sent) => {
        task.inFlight.set(part.partNumber, sent);
        ctx.onProgress(task);
      }, signal);
    } catch (error) {
      task.inFlight.delete(part.partNumber);
      ctx.onProgress(task);
      // A 403 is retried once, with a fresh signature (the URL may have expired); twice means it is real.
      if (error instanceof UploadError && error.status === 403) {
        if (forbiddenRetried) {
          throw new UploadError(error.code, error.message, {
            retryable: false, status: error.status, serverCode: error.serverCode, request: error.request, responseBody: error.responseBody, cause: error,
          });
        }
        forbiddenRetried = true;
      }
      throw error;
    }
  }, signal, {
    maxRetries: ctx.maxRetries,
    onRetry: (error, attempt, delay) => ctx.log(`${task.key}: part ${part.partNumber} attempt ${attempt} in ${delay} ms after: ${error.message}`),
  });
  task.inFlight.delete(part.partNumber);
  const confirmed = { etag, size: part.end - part.start };
  task.finished.set(part.partNumber, confirmed);
  ctx.onProgress(task);
  await ctx.store?.addPart(task.fingerprint, part.partNumber, confirmed).catch(() => undefined);
}

/** Runs a server call, turning its ApiRequestError into an UploadError. */
async function callServer<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (signal.aborted) throw new AbortedError();
    if (error instanceof ApiRequestError) {
      const code = error.code === 'network' ? 'network' : 'server';
      throw new UploadError(code, error.message, {
        retryable: error.retryable, status: error.status, serverCode: error.code, request: error.request, responseBody: error.responseBody, cause: error,
      });
    }
    throw error;
  }
}

function hashFailure(error: unknown): unknown {
  if (error instanceof HashError) {
    return new UploadError(error.reason === 'unreadable' ? 'file_unreadable' : 'hash_failed', error.message, { cause: error });
  }
  return error;
}

function setState(task: UploadTask, ctx: ObjectUploadContext, state: UploadTask['state']): void {
  task.state = state;
  ctx.onState(task);
}

function base64ToHex(base64: string): string {
  return Array.from(atob(base64), (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}
