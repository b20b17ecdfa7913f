/**
 * Part planning under S3's multipart limits. Pure functions, shared by the engine and the reference server.
 */

/** S3's smallest part size (every part but the last): 5 MiB. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
/** S3's largest part size: 5 GiB. */
export const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;
/** S3's largest part count per upload. */
export const MAX_PARTS = 10_000;
/** S3's largest object: 5 TiB. */
export const MAX_OBJECT_SIZE = 5 * 1024 * 1024 * 1024 * 1024;
/** The part size used when none is configured: 8 MiB. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/** One part of a planned upload: bytes `[start, end)` of the file. */
export interface PlannedPart {
  /** 1-based part number, as S3 counts them. */
  readonly partNumber: number;
  /** First byte (inclusive). */
  readonly start: number;
  /** Byte after the last one (exclusive). */
  readonly end: number;
}

/**
 * The part size to use for a file of `size` bytes: `requested`, clamped to [5 MiB, 5 GiB] and raised (to a whole MiB)
 * until the file needs at most 10,000 parts. Throws a RangeError for sizes S3 cannot store.
 */
export function choosePartSize(size: number, requested: number = DEFAULT_PART_SIZE): number {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`File size must be a whole number of bytes >= 0, got ${size}`);
  if (size > MAX_OBJECT_SIZE) throw new RangeError(`File of ${size} bytes is larger than the 5 TiB an S3 object may hold`);
  let partSize = Math.min(Math.max(Math.floor(requested), MIN_PART_SIZE), MAX_PART_SIZE);
  if (Math.ceil(size / partSize) > MAX_PARTS) {
    const mib = 1024 * 1024;
    partSize = Math.min(Math.ceil(size / MAX_PARTS / mib) * mib, MAX_PART_SIZE);
  }
  return partSize;
}

/** The number of parts a file of `size` bytes has at `partSize`; a 0-byte file has one (empty) part. */
export function partCount(size: number, partSize: number): number {
  return Math.max(1, Math.ceil(size / partSize));
}

/** Checks a plan chosen elsewhere (e.g. by a client) against S3's limits; returns a message when it breaks one. */
export function checkPartPlan(size: number, partSize: number): string | undefined {
  if (!Number.isSafeInteger(size) || size < 0) return 'size must be a whole number of bytes >= 0';
  if (size > MAX_OBJECT_SIZE) return 'size is larger than the 5 TiB an S3 object may hold';
  if (!Number.isSafeInteger(partSize) || partSize < MIN_PART_SIZE) return `partSize must be at least ${MIN_PART_SIZE} bytes (5 MiB)`;
  if (partSize > MAX_PART_SIZE) return `partSize must be at most ${MAX_PART_SIZE} bytes (5 GiB)`;
  if (partCount(size, partSize) > MAX_PARTS) return `size / partSize needs more than ${MAX_PARTS} parts`;
  return undefined;
}

/** The byte range of part `partNumber` (1-based). */
export function partRange(size: number, partSize: number, partNumber: number): PlannedPart {
  const start = (partNumber - 1) * partSize;
  return { partNumber, start, end: Math.min(start + partSize, size) };
}

/** All parts of a file, in order. */
export function planParts(size: number, partSize: number): PlannedPart[] {
  const parts: PlannedPart[] = [];
  for (let n = 1; n <= partCount(size, partSize); n++) parts.push(partRange(size, partSize, n));
  return parts;
}

/** Parts of a stream of unknown length keep one size for this many parts, then double (capped at 5 GiB). */
export const STREAM_PARTS_PER_SIZE = 1000;

/**
 * Size of part `partNumber` of a stream of unknown length: `partSize` for the first 1,000 parts, then doubling every
 * 1,000 parts, so that 10,000 parts reach past S3's 5 TiB limit whatever the first size (S3 needs only all parts but
 * the last to be at least 5 MiB, not equal).
 */
export function streamPartSize(partSize: number, partNumber: number): number {
  return Math.min(MAX_PART_SIZE, partSize * 2 ** Math.floor((partNumber - 1) / STREAM_PARTS_PER_SIZE));
}
