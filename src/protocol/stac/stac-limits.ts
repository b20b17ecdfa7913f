/**
 * The STAC asset upload's part limit, alone in its module: the element's bundle names it (stac-on-use.ts) without
 * taking in anything else of the adapter, which loads on first use.
 */

/** The most parts one STAC asset upload may have (`number_parts` 1 to 100). */
export const STAC_MAX_PARTS = 100;
