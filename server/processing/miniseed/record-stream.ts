/**
 * The records of a miniSEED object, read from its byte stream one header at a time: each record's length comes from
 * its own header (blockette 1000, or the miniSEED 3 lengths), so the reader jumps from header to header and holds
 * one header at a time, never the object.
 */
import { ByteReader } from './byte-reader.ts';
import { headerLength, MIN_HEADER_BYTES, readRecordHeader, RecordHeaderError, type RecordHeader } from './record-header.ts';

/** Why an object is not a sequence of miniSEED records: which record, at which byte, and what is wrong. */
export class MiniseedStreamError extends Error {
  override readonly name = 'MiniseedStreamError';
}

/** Yields the header of every record in `chunks`, in order; throws {@link MiniseedStreamError} at the first bad one. */
export async function* readRecords(chunks: AsyncIterable<Uint8Array>, signal?: AbortSignal): AsyncGenerator<RecordHeader> {
  const reader = new ByteReader(chunks);
  try {
    for (let index = 1; !(await reader.atEnd()); index++) {
      signal?.throwIfAborted();
      const at = reader.position;
      const first = await reader.peek(MIN_HEADER_BYTES);
      const bytes = await reader.peek(headerLength(first));
      let header: RecordHeader;
      try {
        header = readRecordHeader(bytes);
      } catch (error) {
        if (!(error instanceof RecordHeaderError)) throw error;
        throw new MiniseedStreamError(`record ${index} (at byte ${at}) is not a miniSEED record: ${error.message}`);
      }
      const skipped = await reader.skip(header.recordLength);
      if (skipped < header.recordLength) {
        throw new MiniseedStreamError(`record ${index} (at byte ${at}) is cut short: the object ends ${skipped} bytes into a ${header.recordLength}-byte record`);
      }
      yield header;
    }
  } finally {
    await reader.close();
  }
}
