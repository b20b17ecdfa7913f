/**
 * The API's errors: every failure the server reports is an {@link ApiError} with a stable `code`, documented in
 * docs/protocol.md, and is sent as `{ "error": { "code", "message", "retryable" } }`.
 */

/** Every error code the API can answer with, and its HTTP status. */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_key: 400,
  invalid_part_plan: 400,
  invalid_parts: 400,
  size_mismatch: 400,
  unauthorized: 401,
  forbidden_key: 403,
  quota_bytes_exceeded: 403,
  quota_objects_exceeded: 403,
  not_found: 404,
  upload_not_found: 404,
  upload_in_progress: 409,
  nothing_to_process: 422,
  object_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
  not_supported: 501,
  storage_error: 502,
  storage_unavailable: 503,
  database_unavailable: 503,
  identity_unavailable: 503,
} as const;

/** A documented API error code. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** An error the API reports to the client as JSON. */
export class ApiError extends Error {
  /** Sent as the Retry-After header (429 rate_limited). */
  readonly retryAfterSeconds: number | undefined;

  /** HTTP status sent with it. */
  readonly status: (typeof ERROR_STATUS)[ErrorCode];

  /**
   * @param code stable, documented code a client can branch on
   * @param message a sentence a person can act on
   * @param retryable whether sending the same request again later may succeed
   */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryable = false,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.name = 'ApiError';
    this.status = ERROR_STATUS[code];
  }

  /** The JSON body sent for this error. */
  toJSON(): { error: { code: ErrorCode; message: string; retryable: boolean } } {
    return { error: { code: this.code, message: this.message, retryable: this.retryable } };
  }
}
