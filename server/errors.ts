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
  unauthorized: 401,
  forbidden_key: 403,
  not_found: 404,
  upload_not_found: 404,
  upload_in_progress: 409,
  internal_error: 500,
  not_supported: 501,
  storage_error: 502,
  storage_unavailable: 503,
  database_unavailable: 503,
} as const;

/** A documented API error code. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** An error the API reports to the client as JSON. */
export class ApiError extends Error {
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
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[code];
  }

  /** The JSON body sent for this error. */
  toJSON(): { error: { code: ErrorCode; message: string; retryable: boolean } } {
    return { error: { code: this.code, message: this.message, retryable: this.retryable } };
  }
}
