/**
 * An object that fits in one part: hashed, signed (in a batch with other small objects), sent in one request, and
 * confirmed (in a batch) by the server, which reads it back from the storage.
 *
 * Objects up to `formMaxBytes` go by a presigned form POST when the transport can send one: a form POST is a
 * CORS-simple request, so it needs no preflight, which halves the requests a small file costs. The storage cannot
 * check a POST against Content-MD5, so the ETag of the stored object (the MD5 of an object stored in one piece) is
 * compared with the MD5 hashed here: by the engine when the storage's answer names it, and always by the server when
 * confirming (the reference server asks for an empty 204 answer, which names none); a mismatch sends the file again. Larger objects go by a PUT with
 * Content-MD5 bound into its signature, which reports upload progress.
 */
import { callServer, callWithRetries, hashStep, storedObject } from './server-call.ts';
import { sendChecked } from './put-with-retries.ts';
import { setState, type UploadContext } from './upload-context.ts';
import { UploadError } from './upload-error.ts';
import type { CompleteDetail } from './upload-events.ts';
import type { UploadTask } from './upload-task.ts';

/** Uploads `blob`, all of `task`'s bytes, by a single PUT. */
export async function uploadSingle(task: UploadTask, blob: Blob, ctx: UploadContext, signal: AbortSignal): Promise<CompleteDetail> {
  setState(task, ctx, 'hashing');
  const session = `${task.id}#single`;
  const hashed = ctx.hasher.hashPart(session, blob, false);
  // Asked for at once, so the worker finishes this object's SHA-256 right after hashing it: hundreds of small objects
  // are open at a time, and a running SHA-256 holds a WebAssembly instance in the worker until it is finished.
  const finished = ctx.hasher.sha256Finish(session);
  finished.catch(() => undefined);
  const [{ md5 }, sha256] = await Promise.all([
    hashStep(hashed.md5),
    hashStep(hashed.sha256.then(() => finished)),
  ]).catch((error: unknown) => {
    ctx.hasher.discard(session);
    throw error;
  });
  const size = blob.size;
  task.size = size;
  task.bytesBuffered = size;
  ctx.onProgress(task);
  setState(task, ctx, 'uploading');
  const form = ctx.transport.post !== undefined && size <= ctx.formMaxBytes;
  const request = { key: task.key, size, md5, contentType: task.contentType, category: task.category, ...(form ? { form } : {}) };
  for (let sentAgain = false; ; sentAgain = true) {
    const etag = await sendChecked(task, 1, blob, md5, () => callServer(() => ctx.objectSigner.add(request), signal), ctx, signal);
    task.finished.set(1, { etag, size });
    ctx.onProgress(task);
    setState(task, ctx, 'completing');
    const report = await callWithRetries(task, ctx, () => ctx.objectConfirmer.add({ key: task.key, size, sha256, md5 }), signal);
    // A form POST's answer may name no ETag (a 204): then the confirm is where changed bytes show, as a digest
    // mismatch. Read and hash the file again: unchanged, it is signed and sent once more (a fresh signature, so a
    // fresh submission); changed, the upload stops. A second mismatch is reported as it is.
    if (report.status === 'FAILED' && report.reason === 'digest_mismatch' && !sentAgain) {
      const again = (await hashStep(ctx.hasher.md5(blob))).md5;
      if (again !== md5) throw new UploadError('file_changed', 'The file changed while it was being uploaded (it differs from the bytes hashed); add it again.');
      ctx.log(`${task.key}: the storage holds other bytes than were hashed but the file is unchanged; sending it again`);
      task.finished.delete(1);
      setState(task, ctx, 'uploading');
      continue;
    }
    return storedObject(task, report, sha256, '');
  }
}
