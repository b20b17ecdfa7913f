/**
 * Sending one part's bytes (or a whole small object's): signed ahead of its queue slot, retried with backoff, signed
 * again once after a 403 (an expired URL) without counting that as a failure, and re-hashed once after a BadDigest.
 */
import { withRetries } from './retry.ts';
import { hashStep } from './server-call.ts';
import type { UploadContext } from './upload-context.ts';
import { UploadError, throwIfAborted } from './upload-error.ts';
import type { UploadTask } from './upload-task.ts';

/** A presigned PUT (with the headers it must carry), or a presigned POST form (with its fields). */
export interface SignedPut {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly fields?: Readonly<Record<string, string>>;
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
  // Signed before taking a PUT slot, so no slot waits on a signer round trip (or on a batch filling up). A failed
  // signing is tried again inside the slot, with the retries.
  let ahead: Promise<SignedPut> | undefined = sign();
  await ahead.catch(() => undefined);
  throwIfAborted(signal);
  for (let reread = false; ; reread = true) {
    try {
      return await putWithRetries(task, partNumber, blob, md5, () => {
        const signed = ahead ?? sign();
        ahead = undefined;
        return signed;
      }, ctx, signal);
    } catch (error) {
      if (!(error instanceof UploadError) || error.code !== 'bad_digest') throw error;
      const again = reread ? undefined : (await hashStep(ctx.hasher.md5(blob))).md5;
      if (again !== md5) {
        throw new UploadError('file_changed', `The file changed while it was being uploaded (part ${partNumber} differs from the bytes hashed); add it again.`, { cause: error });
      }
      ctx.log(`${task.key}: part ${partNumber} was refused as corrupted but the file is unchanged; sending it again`);
    }
  }
}

/**
 * Signs and PUTs `blob` as part `partNumber` of `task`, retrying; resolves with the storage's ETag. Each attempt takes
 * a PUT slot and gives it back when it fails: the wait before the next attempt (up to 20 s, or what Retry-After asks)
 * holds no slot, so other parts and files go on meanwhile. (Waiting inside the slot, six failing requests stopped
 * every other upload of the page until their waits ended.)
 */
async function putWithRetries(
  task: UploadTask, partNumber: number, blob: Blob, md5: string, sign: () => Promise<SignedPut>, ctx: UploadContext, signal: AbortSignal,
): Promise<string> {
  let signedAgain = false;
  const etag = await withRetries(() => ctx.partQueue.add(async () => {
    let signed = await sign();
    for (;;) {
      task.inFlight.set(partNumber, 0);
      try {
        if (signed.fields && ctx.transport.post) return await postChecked(ctx, { url: signed.url, fields: signed.fields, body: blob }, md5, signal);
        return (await ctx.transport.put({ url: signed.url, headers: signed.headers ?? {}, body: blob }, (sent) => {
          task.inFlight.set(partNumber, sent);
          ctx.onProgress(task);
        }, signal)).etag;
      } catch (error) {
        task.inFlight.delete(partNumber);
        ctx.onProgress(task);
        if (error instanceof UploadError && error.status === 403 && !signedAgain) {
          signedAgain = true;
          ctx.log(`${task.key}: part ${partNumber} got 403; signing it again (the URL may have expired)`);
          signed = await sign();
          continue;
        }
        throw error;
      }
    }
  }, { signal }), signal, {
    maxRetries: ctx.maxRetries,
    onRetry: (error, attempt, delay) => {
      ctx.log(`${task.key}: part ${partNumber} attempt ${attempt + 1} in ${delay} ms after: ${error.message}`);
      ctx.onRetrying(task, delay);
    },
  });
  task.inFlight.delete(partNumber);
  return etag;
}

/**
 * POSTs a whole object as a form and checks what was stored: a form cannot carry Content-MD5, but the ETag of an
 * object stored in one piece is the MD5 of its bytes. A mismatch is reported as `bad_digest`, which makes the caller
 * read and hash the bytes again and send them once more (or report that the file changed).
 */
async function postChecked(ctx: UploadContext, request: { url: string; fields: Readonly<Record<string, string>>; body: Blob }, md5: string, signal: AbortSignal): Promise<string> {
  const { etag } = await ctx.transport.post!(request, signal);
  // No ETag in the answer (a 204): the server's confirm compares the stored object's ETag with the MD5 instead.
  if (etag === undefined) return '';
  const stored = etag.replaceAll('"', '');
  if (/^[0-9a-f]{32}$/i.test(stored) && stored.toLowerCase() !== base64ToHex(md5)) {
    throw new UploadError('bad_digest', `The storage holds other bytes than were hashed (ETag ${stored}, MD5 ${base64ToHex(md5)}).`, { request: { method: 'POST', url: request.url } });
  }
  return etag;
}

/** Lowercase hex of a base64 digest. */
export function base64ToHex(base64: string): string {
  return Array.from(atob(base64), (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}
