/**
 * Messages between the main thread and the hash worker. Only types: the main thread must not import the worker.
 */

/** Hash one part: MD5 of its bytes and, when `sha256` is set, feed them to the session's running SHA-256. */
export interface HashPartRequest {
  readonly id: number;
  readonly op: 'part';
  /** Which file's running SHA-256 the bytes belong to; parts of one session must arrive in file order. */
  readonly session: string;
  /** The part's bytes, as a Blob slice: its bytes are read in the worker, never copied through the main thread. */
  readonly blob: Blob;
  /** Whether to feed the bytes to the session's SHA-256 too. */
  readonly sha256: boolean;
}

/** End a session and return its SHA-256. */
export interface FinishRequest {
  readonly id: number;
  readonly op: 'finish';
  readonly session: string;
}

/** Drop a session without a result (the upload was cancelled). */
export interface DiscardRequest {
  readonly id: number;
  readonly op: 'discard';
  readonly session: string;
}

/** Any request the worker understands. */
export type HashRequest = HashPartRequest | FinishRequest | DiscardRequest;

/** A successful answer. */
export interface HashSuccess {
  readonly id: number;
  readonly ok: true;
  /** Base64 MD5 of the part (op `part`). */
  readonly md5?: string;
  /** Number of bytes read (op `part`). */
  readonly bytes?: number;
  /** Lowercase hex SHA-256 of the whole session (op `finish`). */
  readonly sha256?: string;
}

/** A failed answer. */
export interface HashFailure {
  readonly id: number;
  readonly ok: false;
  /** `unreadable` when the bytes could not be read (e.g. the file changed or vanished), `failed` otherwise. */
  readonly reason: 'unreadable' | 'failed';
  readonly message: string;
}

/** Any answer the worker sends. */
export type HashResponse = HashSuccess | HashFailure;
