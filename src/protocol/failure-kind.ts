/**
 * What went wrong with a protocol call, in words any protocol can map its own errors to. The engine decides only on
 * these (resume or start over, trust local records, retry or fail), never on one server's wire codes, so a second
 * protocol (the STAC asset upload, say) needs an adapter, not changes to the engine.
 */

/**
 * Kinds of failure:
 * - `not_found`: the upload (or object) is unknown: aborted, expired, or never there;
 * - `not_supported`: the server or its storage cannot do this operation (e.g. list parts);
 * - `conflict`: it clashes with the state of things (another upload of the same key in progress);
 * - `unauthorized`: no valid credentials (missing or wrong token);
 * - `forbidden`: the credentials are valid but not for this (a key outside the user's space);
 * - `invalid`: the request itself was refused as malformed or out of bounds;
 * - `retryable`: may succeed later (no answer, 5xx, 429, 408);
 * - `aborted`: the caller aborted it;
 * - `failed`: anything else.
 */
export type FailureKind = 'not_found' | 'not_supported' | 'conflict' | 'unauthorized' | 'forbidden' | 'invalid' | 'retryable' | 'aborted' | 'failed';

/** The kind an HTTP answer suggests when the protocol says nothing more precise. */
export function failureKindOfStatus(status: number, retryable: boolean): FailureKind {
  if (retryable) return 'retryable';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 501 || status === 405) return 'not_supported';
  if (status >= 400 && status < 500) return 'invalid';
  return 'failed';
}
