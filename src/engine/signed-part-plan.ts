/**
 * Part planning for a protocol that signs every part at create and caps the part count (the STAC asset upload: at
 * most 100 parts). Pure functions.
 */
import { MAX_PART_SIZE, MIN_PART_SIZE } from './part-plan.ts';

const MiB = 1024 * 1024;

/**
 * The part size for a file of `size` bytes in at most `maxParts` parts: `requested`, at least S3's 5 MiB (every part
 * but the last must be), raised to a whole number of MiB until the file fits in `maxParts` parts. Throws a RangeError
 * when even 5 GiB parts (S3's largest) would not do.
 */
export function chooseCappedPartSize(size: number, requested: number, maxParts: number): number {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`File size must be a whole number of bytes >= 0, got ${size}`);
  if (!Number.isInteger(maxParts) || maxParts < 1) throw new RangeError(`maxParts must be a whole number >= 1, got ${maxParts}`);
  let partSize = Math.min(Math.max(Math.floor(requested), MIN_PART_SIZE), MAX_PART_SIZE);
  if (Math.ceil(size / partSize) > maxParts) partSize = Math.ceil(size / maxParts / MiB) * MiB;
  if (partSize > MAX_PART_SIZE) {
    throw new RangeError(`A file of ${size} bytes needs more than ${maxParts} parts of 5 GiB, the most this protocol and S3 allow (${maxParts * MAX_PART_SIZE} bytes).`);
  }
  return partSize;
}

/** The bytes of part `partNumber` (1-based) of `blob` at `partSize`: a slice, read only when used. */
export function partBytes(blob: Blob, partSize: number, partNumber: number): Blob {
  return blob.slice((partNumber - 1) * partSize, Math.min(partNumber * partSize, blob.size));
}
