/**
 * Intake: turning what the caller gives (a File, a Blob with a name, any body and a key) into an UploadTask, or the
 * reason it cannot be uploaded (a body the engine cannot read, too large, a key the rules refuse, already queued).
 */
import { fingerprintOf } from '../store/resume-record.ts';
import { toBodySource, type UploadBody } from './body-source.ts';
import type { ResumableFileHandle } from './file-handles.ts';
import { keyProblem } from './key-rules.ts';
import { MAX_OBJECT_SIZE, choosePartSize } from './part-plan.ts';
import { UploadTask } from './upload-task.ts';

/** A file to upload: a File, or any Blob with a name (and, from a folder, its relative path). */
export type UploadSource = File | {
  readonly file: Blob; readonly name: string; readonly relativePath?: string; readonly lastModified?: number;
  /** The file's handle (File System Access), kept in the resume record so a resume needs no new pick. */
  readonly handle?: ResumableFileHandle;
};

/** What an object is uploaded as. */
export interface TaskRequest {
  readonly body: UploadBody;
  readonly key: string;
  readonly category: string;
  /** Default: the key's last segment. */
  readonly name?: string;
  /** Default: the Blob's type, else application/octet-stream. */
  readonly contentType?: string;
  readonly lastModified?: number;
}

/** The settings intake needs from the engine. */
export interface IntakeSettings {
  /** True when a task for `key` is queued or running (it is refused again). */
  readonly holdsKey: (key: string) => boolean;
  readonly partSize: number;
  readonly endpoint: string;
}

/** A new task for `request`, or why it cannot be uploaded. */
export function createTask(request: TaskRequest, settings: IntakeSettings): UploadTask | string {
  let source;
  try {
    source = toBodySource(request.body);
  } catch (error) {
    return (error as Error).message;
  }
  const key = request.key;
  const size = source.kind === 'blob' ? source.blob.size : undefined;
  if (size !== undefined && size > MAX_OBJECT_SIZE) return 'The file is larger than the 5 TiB an S3 object may hold.';
  const problem = keyProblem(key);
  if (problem) return `It cannot be stored as "${key}": ${problem}.`;
  if (settings.holdsKey(key)) return `"${key}" is already in the queue.`;
  const name = request.name ?? key.slice(key.lastIndexOf('/') + 1);
  const contentType = request.contentType ?? ((source.kind === 'blob' && source.blob.type) || 'application/octet-stream');
  const fingerprint = source.kind === 'blob'
    ? fingerprintOf({ name, size: source.blob.size, type: contentType, lastModified: request.lastModified }, key, settings.endpoint)
    : undefined;
  const task = new UploadTask(source, name, key, request.category, contentType, fingerprint, choosePartSize(size ?? 0, settings.partSize));
  task.lastModified = request.lastModified;
  return task;
}

/** The Blob, display name (relative path for folder files), date and handle of a source. */
export function describeSource(source: UploadSource): { file: Blob; name: string; lastModified: number | undefined; handle: ResumableFileHandle | undefined } {
  if (source instanceof File) return { file: source, name: source.webkitRelativePath || source.name, lastModified: source.lastModified, handle: undefined };
  const lastModified = source.lastModified ?? (source.file instanceof File ? source.file.lastModified : undefined);
  return { file: source.file, name: source.relativePath || source.name, lastModified, handle: source.handle };
}
