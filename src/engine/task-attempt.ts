/**
 * One attempt at one object, start to finish: find its resume record, hold the tab lock while it uploads, and end in
 * `done` or `failed` (an aborted attempt, paused or cancelled, ends quietly); and the cleanup after a cancel (hash
 * session, stream, resume record, the upload on the server).
 */
import { uploadObject } from './object-upload.ts';
import { withTabLock } from './tab-lock.ts';
import { abortOnServer } from './server-call.ts';
import { dropRecord, type UploadContext } from './upload-context.ts';
import { AbortedError, UploadError } from './upload-error.ts';
import type { UploadTask } from './upload-task.ts';

/** How an attempt ended, for the engine to announce. */
export type AttemptOutcome = { readonly ok: true } | { readonly ok: false; readonly error: UploadError } | { readonly ok: 'aborted' };

/** Runs one attempt at `task`; its state ends `done`, `failed`, or as the pause or cancel left it. */
export async function attemptUpload(task: UploadTask, ctx: UploadContext): Promise<AttemptOutcome> {
  const controller = new AbortController();
  task.controller = controller;
  try {
    if (task.fingerprint && !task.uploadId && !task.small && ctx.store) {
      task.resumeRecord = await ctx.store.get(task.fingerprint).catch(() => undefined);
      if (task.resumeRecord && task.resumeRecord.size !== task.size) task.resumeRecord = undefined;
    }
    const upload = () => uploadObject(task, ctx, controller.signal);
    task.result = task.fingerprint && !task.small ? await withTabLock(task.fingerprint, upload) : await upload();
    task.moveTo('done');
    return { ok: true };
  } catch (error) {
    if (controller.signal.aborted || error instanceof AbortedError) return { ok: 'aborted' };
    task.moveTo('failed');
    // Anything that is not an UploadError is a bug of ours: say so rather than blame hashing or the network.
    task.error = error instanceof UploadError ? error : new UploadError('unexpected', `Unexpected failure: ${String(error)}`, { cause: error });
    return { ok: false, error: task.error };
  } finally {
    task.controller = undefined;
    task.inFlight.clear();
  }
}

/** After a cancel, once its attempt has stopped: frees the hash session, the stream, the record and the server's upload. */
export async function cleanUpCancelled(task: UploadTask, ctx: UploadContext): Promise<void> {
  await task.attempt;
  if (task.sha) ctx.hasher.discard(task.sha.session);
  task.sha = undefined;
  if (task.source.kind === 'stream') await task.source.reader.close();
  await dropRecord(task, ctx);
  if (task.uploadId) await abortOnServer(ctx, task.uploadId, task.key);
}
