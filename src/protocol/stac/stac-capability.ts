/**
 * What the engine needs to know of the STAC asset upload before any call: it signs every part at create, takes at
 * most 100 parts, and has its own rows for part PUTs in the retry table (stac-failures.ts). Kept apart from the
 * adapter so that the element can name it without loading the adapter.
 */
import type { SignsAtCreate } from '../upload-api.ts';
import { stacPartFailure } from './stac-failures.ts';

/** The most parts one STAC asset upload may have. */
export const STAC_MAX_PARTS = 100;

/** The STAC asset upload's capability: every part signed at create, at most 100 parts, parts retried by its table. */
export const STAC_SIGNS_AT_CREATE: SignsAtCreate = { maxParts: STAC_MAX_PARTS, partFailure: stacPartFailure };
