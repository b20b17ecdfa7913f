/**
 * The STAC asset upload's error answers (`{"code": <status>, "description": …, "upload_id"?: …}`) as our failure
 * kinds, and its retry table: which answers may be retried and which end the step.
 *
 * | step     | answer                      | what the client does                                             |
 * |----------|-----------------------------|------------------------------------------------------------------|
 * | create   | 502, 503, 504 (or no answer) | retry after a wait (>= 100 ms; the engine backs off from 250 ms) |
 * | create   | "Upload already in progress" (409; older servers 400) | with take-over: list in-progress, abort, create again; else fail naming the upload id |
 * | create   | other 400, 500, other       | fail (cancel)                                                    |
 * | part PUT | 502, 503, 504 (or no answer) | retry                                                            |
 * | part PUT | 400                         | abort the upload, fail                                           |
 * | part PUT | 403                         | URLs expired: abort the upload and create it again               |
 * | part PUT | 500, other                  | fail (cancel), keeping the upload to continue later              |
 * | complete | 502, 503, 504 (or no answer) | retry                                                            |
 * | complete | 400, 500, other             | fail (cancel)                                                    |
 */
import type { FailureKind } from '../failure-kind.ts';
import { STAC_RETRY_STATUSES } from './stac-capability.ts';

export { STAC_RETRY_STATUSES, stacPartFailure } from './stac-capability.ts';

/** The description a create answers when another upload of the asset is in progress. */
export const IN_PROGRESS = 'Upload already in progress';

/** The description a complete or abort answers when the upload is not in progress (any more). */
export const NOT_IN_PROGRESS = 'No upload in progress';

/** How a STAC error answer is classified. */
export interface StacFailure {
  /** A stable code: `upload_in_progress`, `no_upload_in_progress`, `unauthorized`, `forbidden`, `not_found`, `invalid_request`, `server_error`, `unavailable`, or `http_<status>`. */
  readonly code: string;
  readonly kind: FailureKind;
  readonly retryable: boolean;
}

/** The description of a STAC error body as one line of text ('' when there is none). */
export function describe(description: unknown): string {
  if (description === undefined || description === null) return '';
  if (typeof description === 'string') return description;
  if (Array.isArray(description)) return description.map(describe).join(' ');
  if (typeof description === 'object') {
    return Object.entries(description as Record<string, unknown>).map(([field, problem]) => `${field}: ${describe(problem)}`).join('; ');
  }
  return String(description);
}

/** Classifies an error answer by its status and description. */
export function stacFailure(status: number, description: string): StacFailure {
  if (STAC_RETRY_STATUSES.includes(status)) return { code: 'unavailable', kind: 'retryable', retryable: true };
  if ((status === 409 || status === 400) && description.includes(IN_PROGRESS)) return { code: 'upload_in_progress', kind: 'conflict', retryable: false };
  if ((status === 409 || status === 400 || status === 404) && description.includes(NOT_IN_PROGRESS)) return { code: 'no_upload_in_progress', kind: 'not_found', retryable: false };
  const byStatus: Record<number, StacFailure> = {
    400: { code: 'invalid_request', kind: 'invalid', retryable: false },
    401: { code: 'unauthorized', kind: 'unauthorized', retryable: false },
    403: { code: 'forbidden', kind: 'forbidden', retryable: false },
    404: { code: 'not_found', kind: 'not_found', retryable: false },
    409: { code: 'conflict', kind: 'conflict', retryable: false },
    500: { code: 'server_error', kind: 'failed', retryable: false },
  };
  return byStatus[status] ?? { code: `http_${status}`, kind: status >= 400 && status < 500 ? 'invalid' : 'failed', retryable: false };
}
