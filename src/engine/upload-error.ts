import type { FailureKind } from '../protocol/failure-kind.ts';

/**
 * The error the engine reports for a file: a stable code, a message a person can act on, whether retrying may help,
 * and, where there was one, the request and response that failed and the underlying cause.
 */

/** Codes of {@link UploadError}. */
export type UploadErrorCode =
  /** The storage or server could not be reached, or the connection dropped. */
  | 'network'
  /** The storage answered 5xx, 429 or 408. */
  | 'storage_unavailable'
  /** The storage refused a part (4xx other than the above). */
  | 'storage_rejected'
  /** The storage's Content-MD5 check failed: the bytes sent differ from the bytes hashed. */
  | 'bad_digest'
  /** The file's bytes changed while it was being uploaded. */
  | 'file_changed'
  /** Another tab or window is uploading the same file to the same key. */
  | 'in_use'
  /** The part's ETag response header could not be read (CORS does not expose it). */
  | 'etag_unreadable'
  /** The file's bytes could not be read (changed, moved or deleted while uploading). */
  | 'file_unreadable'
  /** The hash worker failed (could not load, or crashed). */
  | 'hash_failed'
  /** The file cannot be stored under the key it would get. */
  | 'invalid_key'
  /** The file is too large for one S3 object. */
  | 'too_large'
  /** The upload server refused or failed a call; `serverCode` holds its code. */
  | 'server'
  /** The protocol cannot upload this kind of body (a stream, where every part must be hashed before the upload). */
  | 'not_supported'
  /** The storage reports a different size than was sent. */
  | 'verification_failed'
  /** Something the engine did not expect (a bug): the message says what. */
  | 'unexpected';

/** A failure of one file's upload. */
export class UploadError extends Error {
  /** Whether the same step may succeed if tried again later. */
  readonly retryable: boolean;
  /** HTTP status of the failed response; 0 when there was none. */
  readonly status: number;
  /** The server's or storage's own error code (e.g. `forbidden_key`, `NoSuchUpload`), when it gave one. */
  readonly serverCode: string | undefined;
  /** The failed request (URL without its query, which may hold a signature). */
  readonly request: { readonly method: string; readonly url: string } | undefined;
  /** The response body, when there was one. */
  readonly responseBody: string | undefined;
  /** How long the server asked to wait before trying again (Retry-After), in ms. */
  readonly retryAfterMs: number | undefined;
  /** The protocol-neutral kind of failure (see FailureKind); the engine decides on this, never on `serverCode`. */
  readonly kind: FailureKind;

  /**
   * @param code what went wrong, see {@link UploadErrorCode}
   * @param message a sentence a person can act on
   * @param details the rest: retryable (default false), status, serverCode, request, responseBody, cause
   */
  constructor(
    readonly code: UploadErrorCode,
    message: string,
    details: {
      retryable?: boolean; status?: number; serverCode?: string; cause?: unknown;
      request?: { method: string; url: string }; responseBody?: string; retryAfterMs?: number; kind?: FailureKind;
    } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'UploadError';
    this.retryable = details.retryable ?? false;
    this.status = details.status ?? 0;
    this.serverCode = details.serverCode;
    this.request = details.request;
    this.responseBody = details.responseBody;
    this.retryAfterMs = details.retryAfterMs;
    this.kind = details.kind ?? (this.retryable ? 'retryable' : 'failed');
  }
}

/** The error an aborted step rejects with (pause or cancel); never reported to the user as a failure. */
export class AbortedError extends Error {
  constructor() {
    super('The upload was stopped.');
    this.name = 'AbortError';
  }
}

/** Throws {@link AbortedError} when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AbortedError();
}

/** Reads an HTTP Retry-After value (seconds, or an HTTP date) as milliseconds from now; undefined when absent or bad. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
