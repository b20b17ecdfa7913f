/**
 * One PUT (a part, or a whole small object) with a fresh signature per attempt, retried with backoff.
 */
import { withRetries } from './retry.ts';
import type { UploadContext } from './upload-context.ts';
import { UploadError } from './upload-error.ts';
import type { UploadTask } from './upload-task.ts';

/**
 * Signs and PUTs `blob` as part `partNumber` of `task`; resolves with the storage's ETag. `sign(attempt)` gives the
 * URL for each attempt: callers sign the first before a PUT slot is free (so no slot waits on a signer round trip)
 * and every retry afresh.
 */
export async function putWithRetries(
  task: UploadTask,
  partNumber: number,
  blob: Blob,
  sign: (attempt: number) => Promise<{ url: string; headers: Readonly<Record<string, string>> }>,
  ctx: UploadContext,
  signal: AbortSignal,
): Promise<string> {
  let forbiddenRetried = false;
  const { etag } = await withRetries(async (attempt) => {
    const signed = await sign(attempt);
    task.inFlight.set(partNumber, 0);
    try {
      return await ctx.transport.put({ url: signed.url, headers: signed.headers, body: blob }, (sent) => {
        task.inFlight.set(partNumber, sent);
        ctx.onProgress(task);
      }, signal);
    } catch (error) {
      task.inFlight.delete(partNumber);
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
    onRetry: (error, attempt, delay) => ctx.log(`${task.key}: part ${partNumber} attempt ${attempt + 1} in ${delay} ms after: ${error.message}`),
  });
  task.inFlight.delete(partNumber);
  return etag;
}
