/**
 * What is done to one resume record on the user's request: discarding it (and aborting its upload on the server), and
 * finding its file again through the kept File System Access handle. A module of its own, imported by ResumeRecords
 * (and by UploadEngine) on first use, so that the one-file bundle carries these rare paths as a chunk.
 */
import type { ResumeRecord } from '../store/resume-record.ts';
import { mayRead } from './file-handles.ts';
import type { ResumeRecordsContext } from './resume-records.ts';
import type { UploadSource } from './task-intake.ts';
import type { UploadItem } from './upload-task.ts';
import { abortOnServer } from './server-call.ts';

/** Drops one record and aborts its upload on the server, so the parts sent so far are freed. */
export async function discardRecord(context: ResumeRecordsContext, fingerprint: string): Promise<void> {
  const record = await context.store?.get(fingerprint);
  if (!record) return;
  await context.store!.remove(fingerprint);
  await abortOnServer(context, record.uploadId, record.key);
}

/**
 * The file a record's handle points at, read permission asked for, and the record; a file changed since is
 * discarded first (it starts over). Throws an Error saying why the file cannot be had.
 */
export async function fileFromHandle(context: ResumeRecordsContext, fingerprint: string): Promise<{ file: File; record: ResumeRecord }> {
  const record = await context.store?.get(fingerprint);
  if (!record) throw new Error('No unfinished upload has that fingerprint.');
  if (!record.handle) throw new Error(`The browser kept no handle to ${record.name}: add the file again to resume.`);
  if (!(await mayRead(record.handle))) throw new Error(`Reading ${record.name} again was not allowed.`);
  const file = await record.handle.getFile();
  if (file.size !== record.size || (record.lastModified !== undefined && file.lastModified !== record.lastModified)) {
    context.log(`${record.key}: the file changed since the upload began; starting over`);
    await discardRecord(context, fingerprint);
  }
  return { file, record };
}

/**
 * UploadEngine.resumeFromHandle: the file of a record found again through its handle, queued under the record's key
 * with `add`. Throws an Error saying why it cannot.
 */
export async function resumeFromHandle(context: ResumeRecordsContext, fingerprint: string, add: (source: UploadSource, destination: string) => UploadItem | undefined): Promise<UploadItem> {
  const { file, record } = await fileFromHandle(context, fingerprint);
  const item = add({ file, name: record.name, lastModified: file.lastModified, ...(record.handle ? { handle: record.handle } : {}) }, record.key);
  if (!item) throw new Error(`${record.name} could not be queued again.`);
  return item;
}

/** Drops each stale record (and aborts its upload on the server), saying so in the log. */
export async function dropStale(context: ResumeRecordsContext, stale: readonly ResumeRecord[]): Promise<void> {
  for (const record of stale) {
    context.log(`${record.key}: dropping a resume record untouched since ${new Date(record.updatedAt).toISOString()}`);
    await discardRecord(context, record.fingerprint);
  }
}
