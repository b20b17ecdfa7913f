/**
 * The `miniseed` processor: an inventory of the staged miniSEED objects. For every object, and each stream in it
 * (network, station, location, channel), the first and last sample time, the record and sample counts and the sample
 * rate, read from the record headers as the object streams from the storage (never held whole). A corrupt object
 * fails the task with the record and byte where it goes wrong.
 */
import { isoMicros, lastSampleMicros, type RecordHeader } from '../miniseed/record-header.ts';
import { MiniseedStreamError, readRecords } from '../miniseed/record-stream.ts';
import { ProcessingFailure, type Json, type Processor, type StagedObject } from '../processor.ts';
import { ApiError } from '../../errors.ts';
import type { UploadStore } from '../../storage/upload-store.ts';

/** One stream (network, station, location, channel) as an inventory lists it. */
export interface StreamInventory {
  readonly network: string;
  readonly station: string;
  readonly location: string;
  readonly channel: string;
  /** Time of its first sample (ISO 8601, microseconds). */
  readonly firstSample: string;
  /** Time of its last sample (ISO 8601, microseconds). */
  readonly lastSample: string;
  /** Records of this stream. */
  readonly records: number;
  /** Samples over those records. */
  readonly samples: number;
  /** Samples per second (of its first record). */
  readonly sampleRate: number;
}

/** One object's inventory. */
export interface ObjectInventory {
  readonly key: string;
  readonly size: number;
  /** Records in the object. */
  readonly records: number;
  /** miniSEED format version of its first record (2 or 3). */
  readonly format: number;
  /** Its streams, sorted by identifier. */
  readonly streams: readonly StreamInventory[];
}

/** The task's result. */
export interface MiniseedInventory {
  /** Every object, in key order. */
  readonly objects: readonly ObjectInventory[];
  /** Every stream over all objects (first and last sample over all, records and samples added up). */
  readonly streams: readonly StreamInventory[];
  readonly totals: { readonly objects: number; readonly records: number; readonly bytes: number };
}

/** Accumulates the records of streams. */
class StreamTally {
  private readonly streams = new Map<string, { header: RecordHeader; first: number; last: number; records: number; samples: number }>();

  add(header: RecordHeader, records = 1, first = header.startMicros, last = lastSampleMicros(header), samples = header.samples): void {
    const id = [header.network, header.station, header.location, header.channel].join('.');
    const entry = this.streams.get(id);
    if (!entry) {
      this.streams.set(id, { header, first, last, records, samples });
      return;
    }
    entry.first = Math.min(entry.first, first);
    entry.last = Math.max(entry.last, last);
    entry.records += records;
    entry.samples += samples;
  }

  merge(other: StreamTally): void {
    for (const s of other.streams.values()) this.add(s.header, s.records, s.first, s.last, s.samples);
  }

  list(): StreamInventory[] {
    return [...this.streams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => ({
      network: s.header.network, station: s.header.station, location: s.header.location, channel: s.header.channel,
      firstSample: isoMicros(s.first), lastSample: isoMicros(s.last), records: s.records, samples: s.samples, sampleRate: s.header.sampleRate,
    }));
  }
}

/** Reads one object's records into `tally`; returns its record count and format. */
async function inventoryOf(store: UploadStore, object: StagedObject, tally: StreamTally, signal: AbortSignal): Promise<{ records: number; format: number }> {
  let records = 0;
  let format = 0;
  try {
    for await (const header of readRecords(store.stream(object.key, signal), signal)) {
      records++;
      format ||= header.version;
      tally.add(header);
    }
  } catch (error) {
    if (error instanceof MiniseedStreamError) throw new ProcessingFailure(`${object.key}: ${error.message}.`);
    // The storage refused for good (the object is gone, say): running again would not help. Outages are retried.
    if (error instanceof ApiError && !error.retryable) throw new ProcessingFailure(`${object.key}: ${error.message}`);
    throw error;
  }
  if (records === 0) throw new ProcessingFailure(`${object.key}: the object is empty; a miniSEED object holds at least one record.`);
  return { records, format };
}

/** The inventory processor for category `miniseed`. */
export const miniseedInventory: Processor = {
  name: 'miniseed',
  category: 'miniseed',
  description: 'An inventory of miniSEED objects: per object and stream, first and last sample time, records, samples and sample rate, from the record headers.',
  async run({ objects, store, signal, progress }) {
    const all = new StreamTally();
    const inventories: ObjectInventory[] = [];
    let records = 0;
    let bytes = 0;
    for (const object of objects) {
      const tally = new StreamTally();
      const counted = await inventoryOf(store, object, tally, signal);
      all.merge(tally);
      inventories.push({ key: object.key, size: object.size, records: counted.records, format: counted.format, streams: tally.list() });
      records += counted.records;
      bytes += object.size;
      await progress(inventories.length);
    }
    const inventory: MiniseedInventory = { objects: inventories, streams: all.list(), totals: { objects: inventories.length, records, bytes } };
    return inventory as unknown as Json;
  },
  summarize(json) {
    const result = json as unknown as MiniseedInventory;
    const { objects, records } = result.totals;
    return `${objects} object${objects === 1 ? '' : 's'}, ${result.streams.length} stream${result.streams.length === 1 ? '' : 's'}, ${records} record${records === 1 ? '' : 's'}`;
  },
};
