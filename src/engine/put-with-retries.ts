/**
 * Sending one part's bytes (or a whole small object's): signed ahead of its queue slot, retried with backoff, signed
 * again once after a 403 (an expired URL) without counting that as a failure, and re-hashed once after a BadDigest.
 */
import { withRetries } from './retry.ts';
import { hashStep } from './server-call.ts';
import type { UploadContext } from './upload-context.ts';
import { UploadError } from './upload-error.ts';
import type { UploadTask } from './upload-task.ts';

/** A presigned PUT. */
export interface SignedPut {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Sends `blob` (part `partNumber` of `task`, MD5 `md5`) through the shared part queue; resolves with the storage's
 * ETag. `sign` asks the server for a URL bound to that MD5. When the storage answers BadDigest, the bytes are read and
 * hashed again: unchanged, they are sent once more; changed (or BadDigest twice), the file changed while uploading.
 */
export async function sendChecked(
  task: UploadTask, partNumber: number, blob: Blob, md5: string,
  sign: () => Promise<SignedPut>, ctx: UploadContext, signal: AbortSignal,
): Promise<string> {
  // Signed before a PUT slot is free, so no slot waits on a signer round trip.
  let ahead: Promise<SignedPut> | undefined = sign();
  ahead.catch(() => undefined);
  for (let reread = false; ; reread = true) {
    try {
      return await ctx.partQueue.add(() => putWithRetries(task, partNumber, blob, () => {
        const signed = ahead ?? sign();
        ahead = undefined;
        return signed;
      }, ctx, signal), { signal });
    } catch (error) {
      if (!(error instanceof UploadError) || error.code !== 'bad_digest') throw error;
      const again = reread ? undefined : (await hashStep(ctx.hasher.md5(blob))).md5;
      if (again !== md5) {
        throw new UploadError('file_changed', `The file changed while it was being uploaded (part ${partNumber} no longer holds the bytes that were hashed); add it again to upload its new content.`, { cause: error });
      }
      ctx.log(`${task.key}: part ${partNumber} was refused as corrupted although the file still holds the bytes hashed; sending it once more`);
    }
  }
}

/** Signs and PUTs `blob` as part `partNumber` of `task`, retrying; resolves with the storage's ETag. */
async function putWithRetries(
  task: UploadTask, partNumber: number, blob: Blob, sign: () => Promise<SignedPut>, ctx: UploadContext, signal: AbortSignal,
): Promise<string> {
  let signedAgain = false;
  const etag = await withRetries(async () => {
    let signed = await sign();
    for (;;) {
      task.inFlight.set(partNumber, 0);
      try {
        return (await ctx.transport.put({ url: signed.url, headers: signed.headers, body: blob }, (sent) => {
          task.inFlight.set(partNumber, sent);
          ctx.onProgress(task);
        }, signal)).etag;
      } catch (error) {
        task.inFlight.delete(partNumber);
        ctx.onProgress(task);
        if (error instanceof UploadError && error.status === 403 && !signedAgain) {
          signedAgain = true;
          ctx.log(`${task.key}: part ${partNumber} got 403 from the storage; signing it again (the URL may have expired)`);
          signed = await sign();
          continue;
        }
        throw error;
      }
    }
  }, signal, {
    maxRetries: ctx.maxRetries,
    onRetry: (error, attempt, delay) => {
      ctx.log(`${task.key}: part ${partNumber} attempt ${attempt + 1} in ${delay} ms after: ${error.message}`);
      ctx.onRetrying(task, delay);
    },
  });
  task.inFlight.delete(partNumber);
  return etag;
}
