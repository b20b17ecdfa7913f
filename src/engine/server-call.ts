/**
 * Calls to the upload server as the engine makes them: protocol errors become UploadErrors, aborts become AbortedError.
 */
import { ApiRequestError } from '../protocol/api-error.ts';
import type { CompletedUpload, UploadApi } from '../protocol/upload-api.ts';
import { HashError } from '../worker/hash-pool.ts';
import { withRetries } from './retry.ts';
import type { UploadContext } from './upload-context.ts';
import type { CompleteDetail } from './upload-events.ts';
import { AbortedError, UploadError, parseRetryAfter } from './upload-error.ts';
import type { UploadTask } from './upload-task.ts';

/** Runs a server call, turning its ApiRequestError into an UploadError (code `network` or `server`). */
export async function callServer<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (signal.aborted) throw new AbortedError();
    if (error instanceof ApiRequestError) {
      throw new UploadError(error.code === 'network' ? 'network' : 'server', error.message, {
        retryable: error.retryable, status: error.status, serverCode: error.code, request: error.request, responseBody: error.responseBody,
        retryAfterMs: parseRetryAfter(error.retryAfter), kind: error.kind, cause: error,
      });
    }
    throw error;
  }
}

/** Runs a hashing step, turning a HashError into an UploadError (`file_unreadable` or `hash_failed`). */
export async function hashStep<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    if (error instanceof HashError) {
      throw new UploadError(error.reason === 'unreadable' ? 'file_unreadable' : 'hash_failed', error.message, { cause: error });
    }
    throw error;
  }
}

/** {@link callServer} with retries, each wait shown on `task` as `retrying`. */
export function callWithRetries<T>(task: UploadTask, ctx: UploadContext, call: () => Promise<T>, signal: AbortSignal): Promise<T> {
  return withRetries(() => callServer(call, signal), signal, { maxRetries: ctx.maxRetries, onRetry: (_e, _a, delay) => ctx.onRetrying(task, delay) });
}

/** What `task` was stored as, from the server's answer to completing or confirming it; throws when it refused it. */
export function storedObject(task: UploadTask, report: CompletedUpload, sha256: string, uploadId: string): CompleteDetail {
  if (report.status === 'FAILED') throw new UploadError('verification_failed', report.message ?? 'The server did not accept the stored object.');
  return { key: task.key, name: task.name, size: report.size, sha256, etag: report.etag, category: report.category, status: report.status, uploadId };
}

/** Aborts an upload on the server so its parts are freed; a failure is only logged (the storage expires it later). */
export async function abortOnServer(ctx: { readonly api: UploadApi; readonly log: (message: string) => void }, uploadId: string, key: string): Promise<void> {
  try {
    await ctx.api.abortUpload(uploadId, key);
  } catch (error) {
    ctx.log(`${key}: could not abort upload ${uploadId} on the server (${(error as Error).message})`);
  }
}
