/**
 * Chooses how an object goes: a single PUT when it fits in one part and the protocol can sign single objects, parts
 * otherwise (a protocol with only the multipart core sends a small object as a one-part multipart upload). A stream
 * is read up to one part first to find out.
 */
import { uploadSingle } from './single-upload.ts';
import type { UploadContext } from './upload-context.ts';
import type { CompleteDetail } from './upload-events.ts';
import type { UploadTask } from './upload-task.ts';

/** True when the protocol has the optional batched single-object calls (sign and confirm). */
export function signsSingleObjects(api: object): boolean {
  const calls = api as { signObjects?: unknown; confirmObjects?: unknown };
  return typeof calls.signObjects === 'function' && typeof calls.confirmObjects === 'function';
}

/**
 * Uploads `task` in parts. The multipart flow is a chunk of its own, loaded with the first file larger than a part:
 * a page sending only small files never downloads it, and the element's first download stays within its budget.
 */
async function uploadMultipart(task: UploadTask, ctx: UploadContext, signal: AbortSignal): Promise<CompleteDetail> {
  return (await import('./multipart-upload.ts')).uploadMultipart(task, ctx, signal);
}

/** Uploads `task`; resolves with the stored object or rejects with UploadError / AbortedError. */
export async function uploadObject(task: UploadTask, ctx: UploadContext, signal: AbortSignal): Promise<CompleteDetail> {
  // A protocol that signs every part at create (STAC) has a flow of its own, loaded on first use.
  if (ctx.api.signsAtCreate) return (await import('./upfront.ts')).default(task, ctx, signal);
  const single = signsSingleObjects(ctx.api);
  if (task.source.kind === 'blob') {
    return single && task.small && !task.uploadId ? uploadSingle(task, task.source.blob, ctx, signal) : uploadMultipart(task, ctx, signal);
  }
  const reader = task.source.reader;
  if (!task.uploadId && task.streamNext === 1) {
    task.streamParts.set(1, (await reader.next(task.partSize)) ?? new Blob([]));
    task.streamNext = 2;
  }
  if (single && !task.uploadId && reader.ended && task.streamNext === 2) {
    return uploadSingle(task, task.streamParts.get(1)!, ctx, signal);
  }
  return uploadMultipart(task, ctx, signal);
}
