/**
 * The engine's state for one object: what it is, where it goes, how far it got.
 */
import type { FinishedPart, ResumeRecord } from '../store/resume-record.ts';
import type { BodySource } from './body-source.ts';
import type { ResumableFileHandle } from './file-handles.ts';
import type { CompleteDetail, FileProgress, UploadState } from './upload-events.ts';
import type { UploadError } from './upload-error.ts';

/** A snapshot of one object for display, see {@link UploadTask.snapshot}. */
export interface UploadItem extends FileProgress {
  /** Unique id within the engine. */
  readonly id: string;
  /** File name (with its relative path for folder uploads). */
  readonly name: string;
  /** Where it stands. */
  readonly state: UploadState;
  /** The failure, when `state` is `failed`. */
  readonly error: UploadError | undefined;
  /** The stored object, when `state` is `done`. */
  readonly result: CompleteDetail | undefined;
  /** When the next attempt is due (ms since epoch), while `retrying`. */
  readonly retryAt: number | undefined;
}

let nextId = 1;

/**
 * Every move an object's state may make. Running states (`hashing`, `uploading`, `completing`, and `retrying` while a
 * step waits) may pause, fail, be cancelled or finish; `paused` and `failed` only go back to the queue (resume, retry)
 * or are cancelled; `done` and `cancelled` are final. `retrying` returns to the state it interrupted.
 */
export const ALLOWED_MOVES: Readonly<Record<UploadState, readonly UploadState[]>> = {
  queued: ['hashing', 'uploading', 'completing', 'retrying', 'paused', 'done', 'failed', 'cancelled'],
  hashing: ['uploading', 'completing', 'retrying', 'paused', 'done', 'failed', 'cancelled'],
  uploading: ['hashing', 'completing', 'retrying', 'paused', 'done', 'failed', 'cancelled'],
  completing: ['uploading', 'retrying', 'paused', 'done', 'failed', 'cancelled'],
  retrying: ['queued', 'hashing', 'uploading', 'completing', 'paused', 'done', 'failed', 'cancelled'],
  // A pause that lands after the storage completed the object does not undo it.
  paused: ['queued', 'done', 'cancelled'],
  failed: ['queued', 'cancelled'],
  done: [],
  cancelled: [],
};

/** Thrown for a state change the table does not allow: a bug in the engine, never a user's mistake. */
export class StateMoveError extends Error {
  constructor(readonly from: UploadState, readonly to: UploadState) {
    super(`An upload cannot move from ${from} to ${to}.`);
    this.name = 'StateMoveError';
  }
}

/** Mutable state of one object's upload, owned by the engine. */
export class UploadTask {
  /** Unique id within the page. */
  readonly id = `upload-${nextId++}`;
  /** Told after every change of {@link state} (the engine keeps its index of objects by state with it). */
  onStateChange: ((task: UploadTask) => void) | undefined;
  private current: UploadState = 'queued';
  /** Part size (for streams: of the first 1,000 parts). */
  partSize: number;
  /** Size in bytes; undefined for a stream until it has ended. */
  size: number | undefined;
  /** The storage's upload id, once a multipart upload was created. */
  uploadId: string | undefined;
  /** Parts the storage confirmed. */
  readonly finished = new Map<number, FinishedPart>();
  /** Bytes sent of parts in flight, by part number. */
  readonly inFlight = new Map<number, number>();
  /** Bytes read and hashed (MD5) in the current attempt. */
  bytesBuffered = 0;
  /** The running SHA-256: its session in the hash pool and the last part fed to it. Kept across pause and resume. */
  sha: { session: string; through: number } | undefined;
  /** A resume record found for this file, to be used by the next attempt. */
  resumeRecord: ResumeRecord | undefined;
  /** Stream bodies: parts read but not yet confirmed (a stream cannot be read twice), and the next part to read. */
  readonly streamParts = new Map<number, Blob>();
  streamNext = 1;
  /** The failure, when failed. */
  error: UploadError | undefined;
  /** When the next attempt is due, while retrying. */
  retryAt: number | undefined;
  /** The stored object, when done. */
  result: CompleteDetail | undefined;
  /** Aborts the current attempt (pause, cancel). */
  controller: AbortController | undefined;
  /** The current or last attempt; settles once it has fully stopped. */
  attempt: Promise<void> | undefined;
  /** The file's handle, where the browser gave one; kept in the resume record. */
  handle: ResumableFileHandle | undefined;
  /** The file's modification time, where known. */
  lastModified: number | undefined;
  /** Settles when the task is done (resolves), fails or is cancelled (rejects); for putObject. */
  readonly outcome: Promise<CompleteDetail>;
  /** Settles {@link outcome}. */
  settle!: (result: CompleteDetail | Error) => void;

  /**
   * @param source the bytes
   * @param name file name for display
   * @param key object key
   * @param category data category
   * @param contentType MIME type stored with the object
   * @param fingerprint identifies file + destination for resume; undefined when the body cannot be resumed (streams)
   * @param partSize planned part size
   */
  constructor(
    readonly source: BodySource,
    readonly name: string,
    readonly key: string,
    readonly category: string,
    readonly contentType: string,
    readonly fingerprint: string | undefined,
    partSize: number,
  ) {
    this.partSize = partSize;
    this.size = source.kind === 'blob' ? source.blob.size : undefined;
    this.outcome = new Promise<CompleteDetail>((resolve, reject) => {
      this.settle = (result) => (result instanceof Error ? reject(result) : resolve(result));
    });
    this.outcome.catch(() => undefined);
  }

  /** Where it stands; changed only by {@link moveTo}. */
  get state(): UploadState {
    return this.current;
  }

  /**
   * Moves to `next` when {@link ALLOWED_MOVES} allows it, and tells {@link onStateChange}; returns false when already
   * there (nothing to announce). Throws {@link StateMoveError} for any move the table does not list.
   */
  moveTo(next: UploadState): boolean {
    if (next === this.current) return false;
    if (!ALLOWED_MOVES[this.current].includes(next)) throw new StateMoveError(this.current, next);
    this.current = next;
    this.onStateChange?.(this);
    return true;
  }

  /** Bytes of confirmed parts. */
  get bytesDone(): number {
    let total = 0;
    for (const part of this.finished.values()) total += part.size;
    return total;
  }

  /** Confirmed bytes plus bytes of parts in flight. */
  get bytesSent(): number {
    let total = this.bytesDone;
    for (const sent of this.inFlight.values()) total += sent;
    return this.size === undefined ? total : Math.min(total, this.size);
  }

  /** True when nothing more will happen to it unless asked (done, failed, cancelled, paused). */
  get settled(): boolean {
    return this.state === 'done' || this.state === 'failed' || this.state === 'cancelled' || this.state === 'paused';
  }

  /** True for a body of known size that fits in one part: it goes by a single PUT. */
  get small(): boolean {
    return this.size !== undefined && this.size <= this.partSize && this.source.kind === 'blob';
  }

  /** Progress in the SDK's shape. */
  progress(): FileProgress {
    const done = this.state === 'done';
    return {
      key: this.key,
      bytesDone: done ? (this.size ?? 0) : this.bytesDone,
      bytesBuffered: done ? (this.size ?? 0) : Math.max(this.bytesBuffered, this.bytesDone),
      bytesSent: done ? (this.size ?? 0) : this.bytesSent,
      totalBytes: this.size,
      complete: done,
    };
  }

  /** An immutable view for display. */
  snapshot(): UploadItem {
    return { ...this.progress(), id: this.id, name: this.name, state: this.state, error: this.error, result: this.result, retryAt: this.retryAt };
  }
}
