/**
 * An object that fits in one part: hashed, signed (in a batch with other small objects), sent by one PUT with its
 * Content-MD5, and confirmed (in a batch) by the server, which reads it back from the storage.
 */
import { withRetries } from './retry.ts';
import { callServer, hashStep } from './server-call.ts';
import { sendChecked } from './put-with-retries.ts';
import { setState, type UploadContext } from './upload-context.ts';
import type { CompleteDetail } from './upload-events.ts';
import { UploadError } from './upload-error.ts';
import type { UploadTask } from './upload-task.ts';

/** Uploads `blob`, all of `task`'s bytes, by a single PUT. */
export async function uploadSingle(task: UploadTask, blob: Blob, ctx: UploadContext, signal: AbortSignal): Promise<CompleteDetail> {
  setState(task, ctx, 'hashing');
  const session = `${task.id}#single`;
  const hashed = ctx.hasher.hashPart(session, blob, false);
  const [{ md5 }, sha256] = await Promise.all([
    hashStep(hashed.md5),
    hashStep(hashed.sha256.then(() => ctx.hasher.sha256Finish(session))),
  ]).catch((error: unknown) => {
    ctx.hasher.discard(session);
    throw error;
  });
  const size = blob.size;
  task.size = size;
  task.bytesBuffered = size;
  ctx.onProgress(task);
  setState(task, ctx, 'uploading');
  const request = { key: task.key, size, md5, contentType: task.contentType, category: task.category };
  const etag = await sendChecked(task, 1, blob, md5, () => callServer(() => ctx.objectSigner.add(request), signal), ctx, signal);
  task.finished.set(1, { etag, size });
  ctx.onProgress(task);
  setState(task, ctx, 'completing');
  const report = await withRetries(() => callServer(() => ctx.objectConfirmer.add({ key: task.key, size, sha256 }), signal), signal, {
    maxRetries: ctx.maxRetries, onRetry: (_e, _a, delay) => ctx.onRetrying(task, delay),
  });
  if (report.status === 'FAILED') {
    throw new UploadError('verification_failed', report.message ?? 'The server did not accept the stored object.');
  }
  return { key: task.key, name: task.name, size: report.size, sha256, etag: report.etag, category: report.category, status: report.status, uploadId: '' };
}
