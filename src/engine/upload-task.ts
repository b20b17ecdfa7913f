/**
 * The engine's state for one file: what it is, where it goes, how far it got.
 */
import type { FinishedPart } from '../store/resume-record.ts';
import type { CompleteDetail, FileProgress, UploadState } from './upload-events.ts';
import type { UploadError } from './upload-error.ts';

/** A snapshot of one file for display, see {@link UploadTask.snapshot}. */
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
  /** When the next retry is due (ms since epoch), while waiting to retry. */
  readonly retryAt: number | undefined;
}

let nextId = 1;

/** Mutable state of one file's upload, owned by the engine. */
export class UploadTask {
  /** Unique id within the page. */
  readonly id = `upload-${nextId++}`;
  /** Where it stands. */
  state: UploadState = 'queued';
  /** Part size (the server may confirm a different one). */
  partSize: number;
  /** The storage's upload id, once created. */
  uploadId: string | undefined;
  /** Parts the storage confirmed. */
  readonly finished = new Map<number, FinishedPart>();
  /** Bytes sent of parts in flight, by part number. */
  readonly inFlight = new Map<number, number>();
  /** Bytes read and hashed in the current attempt. */
  bytesBuffered = 0;
  /** The failure, when failed. */
  error: UploadError | undefined;
  /** The stored object, when done. */
  result: CompleteDetail | undefined;
  /** When the next retry is due. */
  retryAt: number | undefined;
  /** Aborts the current attempt (pause, cancel). */
  controller: AbortController | undefined;
  /** The current or last attempt; settles once it has fully stopped. */
  attempt: Promise<void> | undefined;

  /**
   * @param file the bytes
   * @param name file name for display
   * @param key object key
   * @param category data category
   * @param fingerprint identifies file + destination for resume
   * @param partSize planned part size
   */
  constructor(
    readonly file: Blob,
    readonly name: string,
    readonly key: string,
    readonly category: string,
    readonly fingerprint: string,
    partSize: number,
  ) {
    this.partSize = partSize;
  }

  /** File size in bytes. */
  get size(): number {
    return this.file.size;
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
    return Math.min(total, this.size);
  }

  /** True once nothing more will happen to it unless asked (done, failed, cancelled, paused). */
  get settled(): boolean {
    return this.state === 'done' || this.state === 'failed' || this.state === 'cancelled' || this.state === 'paused';
  }

  /** Progress in the SDK's shape. */
  progress(): FileProgress {
    return {
      key: this.key,
      bytesDone: this.state === 'done' ? this.size : this.bytesDone,
      bytesBuffered: Math.max(this.bytesBuffered, this.bytesDone),
      bytesSent: this.state === 'done' ? this.size : this.bytesSent,
      totalBytes: this.size,
      complete: this.state === 'done',
    };
  }

  /** An immutable view for display. */
  snapshot(): UploadItem {
    return { ...this.progress(), id: this.id, name: this.name, state: this.state, error: this.error, result: this.result, retryAt: this.retryAt };
  }
}
