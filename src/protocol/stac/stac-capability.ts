/**
 * What the engine needs to know of the STAC asset upload before any call: it signs every part at create, takes at
 * most 100 parts, and has its own rows for part PUTs in the retry table (the whole table: stac-failures.ts).
 */
import type { PartFailureAction, SignsAtCreate } from '../upload-api.ts';

/** The most parts one STAC asset upload may have (`number_parts` 1 to 100). */
export const STAC_MAX_PARTS = 100;

/** Statuses of a server call or a part PUT that are retried. */
export const STAC_RETRY_STATUSES: readonly number[] = [502, 503, 504];

/** The retry table's row for a part PUT the storage answered with `status` (403, expired URLs, is the engine's). */
export function stacPartFailure(status: number): PartFailureAction {
  return STAC_RETRY_STATUSES.includes(status) ? 'retry' : status === 400 ? 'abort' : 'stop';
}

/** The STAC asset upload's capability: every part signed at create, at most 100 parts, parts retried by its table. */
export const STAC_SIGNS_AT_CREATE: SignsAtCreate = { maxParts: STAC_MAX_PARTS, partFailure: stacPartFailure };
