/**
 * The engine's events and their details. The element re-emits them as `dropoff-*` DOM events.
 */
import type { UploadErrorCode } from './upload-error.ts';

/** Where one file's upload stands. */
export type UploadState = 'queued' | 'hashing' | 'uploading' | 'retrying' | 'completing' | 'paused' | 'done' | 'failed' | 'cancelled';

/** Progress of one file, after the dropoff SDK's UploadStatus. */
export interface FileProgress {
  /** Object key. */
  readonly key: string;
  /** Bytes the storage has confirmed (finished parts). */
  readonly bytesDone: number;
  /** Bytes read and hashed. */
  readonly bytesBuffered: number;
  /** Bytes sent, counting parts still in flight (moves smoothly; may fall back when a part is retried). */
  readonly bytesSent: number;
  /** File size; undefined for a stream until it has ended. */
  readonly totalBytes: number | undefined;
  /** True once the storage holds the complete object. */
  readonly complete: boolean;
}

/** Totals over every file the engine knows. */
export interface BatchProgress {
  /** Files added. */
  readonly filesTotal: number;
  /** Files stored. */
  readonly filesDone: number;
  /** Files failed. */
  readonly filesFailed: number;
  /** Bytes of all files (cancelled ones excluded). */
  readonly bytesTotal: number;
  /** Bytes sent so far over all files. */
  readonly bytesSent: number;
  /** Smoothed send rate in bytes per second. */
  readonly bytesPerSecond: number;
  /** Seconds left at that rate; undefined while unknown. */
  readonly etaSeconds: number | undefined;
  /** Seconds since the first file started. */
  readonly elapsedSeconds: number;
}

/** Detail of `progress`. */
export interface ProgressDetail extends FileProgress {
  /** Totals over every file. */
  readonly batch: BatchProgress;
}

/** Detail of `complete`: the stored object. */
export interface CompleteDetail {
  /** Object key. */
  readonly key: string;
  /** File name. */
  readonly name: string;
  /** Stored size in bytes. */
  readonly size: number;
  /** SHA-256 of the file (lowercase hex), computed while uploading. */
  readonly sha256: string;
  /** The stored object's ETag. */
  readonly etag: string;
  /** Data category. */
  readonly category: string;
  /** The server's verdict so far: `VALIDATING` (stored; validation follows) or `ACCEPTED`. */
  readonly status: 'VALIDATING' | 'ACCEPTED' | 'FAILED';
  /** The storage's multipart upload id; empty for an object stored by a single PUT. */
  readonly uploadId: string;
}

/** Detail of `error`. */
export interface ErrorDetail {
  /** Object key. */
  readonly key: string;
  /** File name. */
  readonly name: string;
  /** What went wrong. */
  readonly code: UploadErrorCode;
  /** A sentence a person can act on. */
  readonly message: string;
  /** Whether `retry()` may succeed. */
  readonly retryable: boolean;
  /** The error itself, with request, response and cause. */
  readonly error: Error;
}

/** Detail of `state`. */
export interface StateDetail {
  /** Object key. */
  readonly key: string;
  /** The new state. */
  readonly state: UploadState;
  /** When the next attempt is due (ms since epoch), for `retrying`. */
  readonly retryAt?: number;
}

/** Detail of `added`. */
export interface AddedDetail {
  /** The files accepted, with their keys. */
  readonly files: readonly { readonly key: string; readonly name: string; readonly size: number | undefined }[];
}

/** Detail of `rejected`. */
export interface RejectedDetail {
  /** The files refused, with the reason. */
  readonly files: readonly { readonly name: string; readonly size: number; readonly reason: string }[];
}

/** An upload left unfinished (after a reload or a crash) that adding the same file again resumes. */
export interface ResumableUpload {
  /** Identifies file and destination; pass it to `discardResumable`. */
  readonly fingerprint: string;
  /** Object key. */
  readonly key: string;
  /** File name. */
  readonly name: string;
  /** File size in bytes. */
  readonly size: number;
  /** Bytes the storage confirmed. */
  readonly bytesDone: number;
  /** When the upload began (ms since epoch). */
  readonly createdAt: number;
  /** When a part last finished (ms since epoch). */
  readonly updatedAt: number;
  /** True when the browser kept a handle to the file: `resumeFromHandle` continues without a new pick. */
  readonly hasHandle: boolean;
}

/** Detail of the element's `dropoff-resumable`. */
export interface ResumableDetail {
  /** Unfinished uploads of this endpoint, newest first. */
  readonly uploads: readonly ResumableUpload[];
}

/** Detail of `done`: the queue drained. */
export interface DoneDetail {
  /** Totals at that moment. */
  readonly batch: BatchProgress;
}

/** The engine's events by name. */
export interface UploadEngineEventMap {
  /** Files were accepted into the queue. */
  added: AddedDetail;
  /** Files were refused (invalid key, too large). */
  rejected: RejectedDetail;
  /** A file changed state. */
  state: StateDetail;
  /** A file made progress (throttled). */
  progress: ProgressDetail;
  /** A file is stored. */
  complete: CompleteDetail;
  /** A file failed. */
  error: ErrorDetail;
  /** No file is queued or running. */
  done: DoneDetail;
}
