/**
 * Messages between the main thread and a hash worker. Only types: the main thread must not import the worker.
 * A worker handles `md5` requests before others that wait (they are on the upload's critical path; a SHA-256 may
 * lag), and every other request in arrival order, so the parts of one SHA-256 session stay in file order.
 */

/** MD5 of one part (for Content-MD5). */
export interface Md5Request {
  readonly id: number;
  readonly op: 'md5';
  /** The part's bytes as a Blob (slice): read in the worker, never copied through the main thread. */
  readonly blob: Blob;
}

/**
 * MD5 of one part and, from the same read of its bytes, the next update of its file's running SHA-256. The MD5 is
 * answered first, in an early answer (`early: true`), as soon as it is known: the part's PUT needs only it, and
 * need not wait for the SHA-256 update (about twice the MD5's work). The final answer follows once the update is done.
 */
export interface PartRequest {
  readonly id: number;
  readonly op: 'part';
  readonly session: string;
  readonly blob: Blob;
  /** Answer with the SHA-256 hasher's state after this part. */
  readonly save: boolean;
}

/** Feed the next part of a file to that file's running SHA-256. */
export interface ShaUpdateRequest {
  readonly id: number;
  readonly op: 'sha-update';
  readonly session: string;
  readonly blob: Blob;
  /** Answer with the hasher's state after this part (hash-wasm `save()`), to store in the resume record. */
  readonly save: boolean;
}

/** Start a session from a saved state instead of from nothing. */
export interface ShaLoadRequest {
  readonly id: number;
  readonly op: 'sha-load';
  readonly session: string;
  readonly state: Uint8Array;
}

/** End a session, answering its SHA-256. */
export interface ShaFinishRequest {
  readonly id: number;
  readonly op: 'sha-finish';
  readonly session: string;
}

/** Drop a session without a result. */
export interface ShaDiscardRequest {
  readonly id: number;
  readonly op: 'sha-discard';
  readonly session: string;
}

/** Any request a hash worker understands. */
export type HashRequest = Md5Request | PartRequest | ShaUpdateRequest | ShaLoadRequest | ShaFinishRequest | ShaDiscardRequest;

/** A successful answer. */
export interface HashSuccess {
  readonly id: number;
  readonly ok: true;
  /**
   * True on the early answer to a `part` request, which carries only its `md5` and `bytes`; the final answer to the
   * same id follows when the part has been fed to its file's SHA-256.
   */
  readonly early?: boolean;
  /** Base64 MD5 (ops `md5`, `part`). */
  readonly md5?: string;
  /** Bytes read (ops `md5`, `part`, `sha-update`). */
  readonly bytes?: number;
  /** Saved SHA-256 hasher state (ops `part`, `sha-update`, with `save`). */
  readonly state?: Uint8Array;
  /** Lowercase hex SHA-256 (op `sha-finish`). */
  readonly sha256?: string;
}

/** A failed answer. */
export interface HashFailure {
  readonly id: number;
  readonly ok: false;
  /** `unreadable` when the bytes could not be read (the file changed or vanished), `failed` otherwise. */
  readonly reason: 'unreadable' | 'failed';
  readonly message: string;
}

/** Any answer a hash worker sends. */
export type HashResponse = HashSuccess | HashFailure;
