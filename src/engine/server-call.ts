/**
 * Calls to the upload server as the engine makes them: protocol errors become UploadErrors, aborts become AbortedError.
 */
import { ApiRequestError } from '../protocol/api-error.ts';
import { HashError } from '../worker/hash-pool.ts';
import { AbortedError, UploadError, parseRetryAfter } from './upload-error.ts';

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
