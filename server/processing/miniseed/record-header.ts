/**
 * The header of one miniSEED record, read from its bytes: the fields an inventory needs (stream identifiers, start
 * time, sample count and rate, record length), for miniSEED 2 (SEED 2.4 fixed section and blockettes 100, 1000, 1001)
 * and miniSEED 3 (FDSN fixed header and source identifier).
 *
 * Written here rather than taken from seisplotjs: its parser rounds times to milliseconds (it drops blockette 1001's
 * microseconds and the tenth-milliseconds), ignores an unapplied time correction, checks nothing (garbage reads as a
 * record), and the package pulls 19 dependencies made for plotting (d3, leaflet, handlebars, jszip) into the server.
 * The fixed section is checked by the same rules as the validator's (server/records/miniseed.ts).
 */
import { miniseedProblem } from '../../records/miniseed.ts';

/** What an inventory reads from one record's header. */
export interface RecordHeader {
  /** 2 for miniSEED 2 (SEED 2.4), 3 for miniSEED 3. */
  readonly version: 2 | 3;
  readonly network: string;
  readonly station: string;
  readonly location: string;
  readonly channel: string;
  /** Data quality indicator (D, R, Q, M) for miniSEED 2; the publication version for miniSEED 3. */
  readonly quality: string;
  /** Time of the first sample, microseconds since 1970-01-01T00:00:00Z. */
  readonly startMicros: number;
  /** Samples in the record. */
  readonly samples: number;
  /** Samples per second; 0 for records without a rate (log records). */
  readonly sampleRate: number;
  /** The whole record's length in bytes (header, blockettes or extra headers, and data). */
  readonly recordLength: number;
}

/** Bytes {@link readRecordHeader} needs before it can tell a record's length: the miniSEED 3 fixed header is 40. */
export const MIN_HEADER_BYTES = 48;

/** Record lengths a miniSEED 2 record may declare in blockette 1000: 2^7 (128 B) to 2^17 (128 KiB), as libmseed reads. */
const MIN_LENGTH_EXPONENT = 7;
const MAX_LENGTH_EXPONENT = 17;

/**
 * How many bytes from the start of a record {@link readRecordHeader} needs, judged from its first
 * {@link MIN_HEADER_BYTES}: miniSEED 2 up to its data offset (where its blockettes end), at least 64; miniSEED 3 its
 * fixed header and source identifier.
 */
export function headerLength(first: Uint8Array): number {
  if (first.length >= 40 && first[0] === 0x4d && first[1] === 0x53 && first[2] === 3) return 40 + first[33]!;
  if (first.length < MIN_HEADER_BYTES) return MIN_HEADER_BYTES;
  const view = new DataView(first.buffer, first.byteOffset, first.byteLength);
  const year = view.getUint16(20, false);
  const little = !(year >= 1900 && year <= 2100);
  return Math.min(2 ** MAX_LENGTH_EXPONENT, Math.max(64, view.getUint16(44, little)));
}

/** Why a record's header could not be read. */
export class RecordHeaderError extends Error {
  override readonly name = 'RecordHeaderError';
}

/**
 * Reads the header of the record at the start of `bytes`, which must hold at least its fixed header, blockettes or
 * source identifier (for miniSEED 2: up to the data offset; 512 bytes always do for records written by libmseed).
 * Throws {@link RecordHeaderError} saying what is wrong.
 */
export function readRecordHeader(bytes: Uint8Array): RecordHeader {
  if (bytes.length >= 3 && bytes[0] === 0x4d && bytes[1] === 0x53 && bytes[2] === 3) return readVersion3(bytes);
  const problem = miniseedProblem(bytes);
  if (problem) throw new RecordHeaderError(problem);
  return readVersion2(bytes);
}

function text(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to)).replace(/\0/g, ' ').trim();
}

/** Microseconds since the epoch of a year, day of year and time of day. */
function epochMicros(year: number, dayOfYear: number, hour: number, minute: number, second: number): number {
  return (Date.UTC(year, 0, dayOfYear, hour, minute, second)) * 1000;
}

function readVersion2(bytes: Uint8Array): RecordHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The header's byte order is not stated anywhere: the start year and day read sensibly in only one of them.
  const yearBig = view.getUint16(20, false);
  const dayBig = view.getUint16(22, false);
  const little = !(yearBig >= 1900 && yearBig <= 2100 && dayBig >= 1 && dayBig <= 366);
  const u16 = (at: number) => view.getUint16(at, little);
  const i16 = (at: number) => view.getInt16(at, little);
  const hour = bytes[24]!;
  const minute = bytes[25]!;
  const second = bytes[26]!;
  if (hour > 23 || minute > 59 || second > 60) throw new RecordHeaderError(`its start time ${hour}:${minute}:${second} is not a time of day`);
  const tenthMillis = u16(28);
  if (tenthMillis > 9999) throw new RecordHeaderError(`its start time's fraction (${tenthMillis} ten-thousandths of a second) is out of range`);
  const samples = u16(30);
  const factor = i16(32);
  const multiplier = i16(34);
  const activity = bytes[36]!;
  const blocketteCount = bytes[39]!;
  const timeCorrection = view.getInt32(40, little);
  const dataOffset = u16(44);
  let next = u16(46);
  let sampleRate = nominalRate(factor, multiplier);
  let microseconds = 0;
  let recordLength: number | undefined;
  // Follow the blockette chain: 100 (actual sample rate), 1000 (record length), 1001 (microseconds).
  for (let seen = 0; next !== 0 && seen < blocketteCount; seen++) {
    if (next < 48 || next + 4 > bytes.length) {
      throw new RecordHeaderError(`its blockette ${seen + 1} starts at byte ${next}, outside the ${bytes.length} bytes of its header`);
    }
    const type = u16(next);
    const following = u16(next + 2);
    if (type === 1000) {
      if (next + 8 > bytes.length) throw new RecordHeaderError('its blockette 1000 is cut short');
      const exponent = bytes[next + 6]!;
      if (exponent < MIN_LENGTH_EXPONENT || exponent > MAX_LENGTH_EXPONENT) {
        throw new RecordHeaderError(`its blockette 1000 gives a record length of 2^${exponent} bytes (miniSEED records are 2^${MIN_LENGTH_EXPONENT} to 2^${MAX_LENGTH_EXPONENT})`);
      }
      recordLength = 2 ** exponent;
    } else if (type === 1001) {
      if (next + 6 > bytes.length) throw new RecordHeaderError('its blockette 1001 is cut short');
      microseconds = view.getInt8(next + 5);
    } else if (type === 100) {
      if (next + 8 > bytes.length) throw new RecordHeaderError('its blockette 100 is cut short');
      sampleRate = view.getFloat32(next + 4, little);
    }
    if (following !== 0 && following <= next) throw new RecordHeaderError(`its blockette chain loops back (byte ${following} after ${next})`);
    next = following;
  }
  if (recordLength === undefined) {
    throw new RecordHeaderError('it has no blockette 1000, so its record length is unknown (records without one are not miniSEED)');
  }
  if (dataOffset > recordLength) throw new RecordHeaderError(`its data offset (${dataOffset}) is past its record length (${recordLength})`);
  let startMicros = epochMicros(u16(20), u16(22), hour, minute, second) + tenthMillis * 100 + microseconds;
  // Bit 1 of the activity flags says the time correction is already in the start time; otherwise it is added.
  if ((activity & 0x02) === 0) startMicros += timeCorrection * 100;
  return {
    version: 2,
    network: text(bytes, 18, 20),
    station: text(bytes, 8, 13),
    location: text(bytes, 13, 15),
    channel: text(bytes, 15, 18),
    quality: String.fromCharCode(bytes[6]!),
    startMicros,
    samples,
    sampleRate: Number.isFinite(sampleRate) && sampleRate > 0 ? sampleRate : 0,
    recordLength,
  };
}

/** Samples per second from SEED's sample rate factor and multiplier (SEED 2.4, fixed section fields 10 and 11). */
function nominalRate(factor: number, multiplier: number): number {
  if (factor === 0 || multiplier === 0) return 0;
  if (factor > 0) return multiplier > 0 ? factor * multiplier : -factor / multiplier;
  return multiplier > 0 ? -multiplier / factor : 1 / (factor * multiplier);
}

/** miniSEED 3: a 40-byte little-endian fixed header, the source identifier, extra headers, then the data. */
function readVersion3(bytes: Uint8Array): RecordHeader {
  if (bytes.length < 40) throw new RecordHeaderError(`it is shorter (${bytes.length} bytes) than a miniSEED 3 header (40 bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nanoseconds = view.getUint32(4, true);
  const year = view.getUint16(8, true);
  const day = view.getUint16(10, true);
  const [hour, minute, second] = [bytes[12]!, bytes[13]!, bytes[14]!];
  if (year < 1900 || year > 2100 || day < 1 || day > 366 || hour > 23 || minute > 59 || second > 60 || nanoseconds > 999_999_999) {
    throw new RecordHeaderError('its start time is not a plausible date and time');
  }
  const rateOrPeriod = view.getFloat64(16, true);
  const samples = view.getUint32(24, true);
  const sidLength = bytes[33]!;
  const extraLength = view.getUint16(34, true);
  const dataLength = view.getUint32(36, true);
  if (bytes.length < 40 + sidLength) throw new RecordHeaderError('its source identifier is cut short');
  const sid = String.fromCharCode(...bytes.subarray(40, 40 + sidLength));
  const match = /^FDSN:([^_]*)_([^_]*)_([^_]*)_([^_]*)_([^_]*)_([^_]*)$/.exec(sid);
  if (!match) throw new RecordHeaderError(`its source identifier "${sid}" is not FDSN:NET_STA_LOC_BAND_SOURCE_SUBSOURCE`);
  const [, network, station, location, band, source, subsource] = match as unknown as string[];
  const channel = band!.length === 1 && source!.length === 1 && subsource!.length === 1 ? `${band}${source}${subsource}` : `${band}_${source}_${subsource}`;
  // Positive: samples per second; negative: the sample period in seconds.
  const sampleRate = rateOrPeriod > 0 ? rateOrPeriod : rateOrPeriod < 0 ? -1 / rateOrPeriod : 0;
  return {
    version: 3,
    network: network!, station: station!, location: location!, channel,
    quality: String(bytes[32]),
    startMicros: epochMicros(year, day, hour, minute, second) + Math.floor(nanoseconds / 1000),
    samples,
    sampleRate: Number.isFinite(sampleRate) ? sampleRate : 0,
    recordLength: 40 + sidLength + extraLength + dataLength,
  };
}

/** The time of the last sample of a record (its start when it has one sample, or no rate), microseconds. */
export function lastSampleMicros(header: RecordHeader): number {
  if (header.samples <= 1 || header.sampleRate <= 0) return header.startMicros;
  return header.startMicros + Math.round(((header.samples - 1) * 1_000_000) / header.sampleRate);
}

/** ISO 8601 with microseconds, e.g. `2010-02-27T06:50:00.069539Z`. */
export function isoMicros(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const fraction = String(micros - Math.floor(micros / 1_000_000) * 1_000_000).padStart(6, '0');
  return `${new Date(millis).toISOString().slice(0, 19)}.${fraction}Z`;
}
