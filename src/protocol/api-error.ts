/**
 * The error every protocol call rejects with: what was asked, what came back, whether trying again may help, and the
 * protocol-neutral kind of failure the adapter mapped it to (the engine decides on that alone).
 */
import { failureKindOfStatus, type FailureKind } from './failure-kind.ts';

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
   * @param kind what kind of failure it is, as the adapter maps its protocol's errors (default: from status and
   *   retryable)
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
    kind?: FailureKind,
  ) {
    super(message, options);
    this.name = 'ApiRequestError';
    this.kind = kind ?? (code === 'aborted' ? 'aborted' : failureKindOfStatus(status, retryable));
  }

  /** The protocol-neutral kind of failure. */
  readonly kind: FailureKind;
}
