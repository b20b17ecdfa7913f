/**
 * The error every protocol call rejects with: what was asked, what came back, and whether trying again may help.
 */

/** A failed call to the server. */
export class ApiRequestError extends Error {
  /**
   * @param code the server's error code (docs/protocol.md), or `network` when no answer came, `bad_response` when
   *   the answer was not what the protocol promises, `aborted` when the caller aborted
   * @param status HTTP status, 0 when no answer came
   * @param retryable whether the same request may succeed later
   * @param request method and URL of the request
   * @param responseBody the answer's body text, when there was one
   * @param retryAfter the answer's Retry-After header, when there was one
   */
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly retryable: boolean,
    readonly request: { readonly method: string; readonly url: string },
    readonly responseBody?: string,
    options?: { cause?: unknown },
    readonly retryAfter?: string,
  ) {
    super(message, options);
    this.name = 'ApiRequestError';
  }
}
