/**
 * The miniSEED header reader of the inventory processor, on records built here field by field from the SEED 2.4 and
 * FDSN miniSEED 3 specifications: byte orders, sample rate factor/multiplier and blockette 100, blockette 1001's
 * microseconds, an unapplied time correction, miniSEED 3 source identifiers, and every way a header can be wrong.
 * (Real files, made by libmseed, are read in test/server/process-inventory.test.ts.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isoMicros, lastSampleMicros, readRecordHeader, RecordHeaderError } from '../../server/processing/miniseed/record-header.ts';
import { readRecords } from '../../server/processing/miniseed/record-stream.ts';

interface V2Fields {
  little?: boolean; station?: string; location?: string; channel?: string; network?: string; quality?: string;
  year?: number; day?: number; hour?: number; minute?: number; second?: number; tenthMillis?: number;
  samples?: number; factor?: number; multiplier?: number; activity?: number; correction?: number;
  lengthExponent?: number; microseconds?: number; rate100?: number; sequence?: string;
}

/** A miniSEED 2 record: fixed section, blockette 1000, optionally 1001 and 100, zero data. */
function v2Record(f: V2Fields = {}): Uint8Array {
  const length = 2 ** (f.lengthExponent ?? 9);
  const bytes = new Uint8Array(Math.max(length, 128));
  const view = new DataView(bytes.buffer);
  const little = f.little ?? false;
  const put = (at: number, text: string, width: number) => { for (let i = 0; i < width; i++) bytes[at + i] = (text[i] ?? ' ').charCodeAt(0); };
  put(0, f.sequence ?? '000001', 6);
  put(6, f.quality ?? 'D', 1);
  put(7, ' ', 1);
  put(8, f.station ?? 'ANMO', 5);
  put(13, f.location ?? '00', 2);
  put(15, f.channel ?? 'BHZ', 3);
  put(18, f.network ?? 'IU', 2);
  view.setUint16(20, f.year ?? 2025, little);
  view.setUint16(22, f.day ?? 303, little);
  bytes[24] = f.hour ?? 12; bytes[25] = f.minute ?? 30; bytes[26] = f.second ?? 15;
  view.setUint16(28, f.tenthMillis ?? 1234, little);
  view.setUint16(30, f.samples ?? 100, little);
  view.setInt16(32, f.factor ?? 40, little);
  view.setInt16(34, f.multiplier ?? 1, little);
  bytes[36] = f.activity ?? 0;
  const blockettes: [number, (at: number) => void, number][] = [[1000, (at) => { bytes[at + 4] = 11; bytes[at + 5] = little ? 0 : 1; bytes[at + 6] = f.lengthExponent ?? 9; }, 8]];
  if (f.microseconds !== undefined) blockettes.push([1001, (at) => { view.setInt8(at + 5, f.microseconds!); }, 8]);
  if (f.rate100 !== undefined) blockettes.push([100, (at) => { view.setFloat32(at + 4, f.rate100!, little); }, 12]);
  bytes[39] = blockettes.length;
  view.setInt32(40, f.correction ?? 0, little);
  let at = 48;
  view.setUint16(46, at, little);
  blockettes.forEach(([type, fill, size], i) => {
    view.setUint16(at, type, little);
    const next = i + 1 < blockettes.length ? at + size : 0;
    view.setUint16(at + 2, next, little);
    fill(at);
    at += size;
  });
  view.setUint16(44, 64 * Math.ceil(at / 64), little);
  return bytes.subarray(0, length);
}

/** A miniSEED 3 record with `sid`. */
function v3Record(sid: string, rateOrPeriod: number, samples: number, nanoseconds = 123_456_789, extra = 0, data = 16): Uint8Array {
  const bytes = new Uint8Array(40 + sid.length + extra + data);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x4d; bytes[1] = 0x53; bytes[2] = 3;
  view.setUint32(4, nanoseconds, true);
  view.setUint16(8, 2024, true); view.setUint16(10, 60, true);
  bytes[12] = 23; bytes[13] = 59; bytes[14] = 58; bytes[15] = 11;
  view.setFloat64(16, rateOrPeriod, true);
  view.setUint32(24, samples, true);
  bytes[32] = 1; bytes[33] = sid.length;
  view.setUint16(34, extra, true);
  view.setUint32(36, data, true);
  for (let i = 0; i < sid.length; i++) bytes[40 + i] = sid.charCodeAt(i);
  return bytes;
}

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('miniSEED 2 headers', () => {
  it('reads stream codes, the start time to the tenth-millisecond and the record length, in either byte order', () => {
    for (const little of [false, true]) {
      const h = readRecordHeader(v2Record({ little, location: '  ' }));
      assert.deepEqual([h.network, h.station, h.location, h.channel, h.quality, h.samples, h.sampleRate, h.recordLength], ['IU', 'ANMO', '', 'BHZ', 'D', 100, 40, 512]);
      assert.equal(isoMicros(h.startMicros), '2025-10-30T12:30:15.123400Z');
      assert.equal(isoMicros(lastSampleMicros(h)), '2025-10-30T12:30:17.598400Z', '99 samples at 40 Hz later');
    }
  });

  it('adds blockette 1001 microseconds (negative too) and an unapplied time correction, not an applied one', () => {
    assert.equal(isoMicros(readRecordHeader(v2Record({ microseconds: 39 })).startMicros), '2025-10-30T12:30:15.123439Z');
    assert.equal(isoMicros(readRecordHeader(v2Record({ microseconds: -40 })).startMicros), '2025-10-30T12:30:15.123360Z');
    assert.equal(isoMicros(readRecordHeader(v2Record({ correction: 5000 })).startMicros), '2025-10-30T12:30:15.623400Z');
    assert.equal(isoMicros(readRecordHeader(v2Record({ correction: 5000, activity: 0x02 })).startMicros), '2025-10-30T12:30:15.123400Z');
  });

  it('takes the sample rate from factor and multiplier as SEED defines them, and from blockette 100 over them', () => {
    const rate = (factor: number, multiplier: number) => readRecordHeader(v2Record({ factor, multiplier })).sampleRate;
    assert.equal(rate(20, 1), 20);
    assert.equal(rate(20, -2), 10);
    assert.equal(rate(-10, 1), 0.1);
    assert.equal(rate(-10, -10), 0.01);
    assert.equal(rate(0, 0), 0);
    assert.equal(readRecordHeader(v2Record({ factor: 0, multiplier: 0, samples: 5 })).startMicros, lastSampleMicros(readRecordHeader(v2Record({ factor: 0, multiplier: 0, samples: 5 }))), 'no rate: last = first');
    assert.equal(readRecordHeader(v2Record({ rate100: 0.5 })).sampleRate, 0.5);
  });

  it('says what is wrong with a header', () => {
    const wrong = (bytes: Uint8Array, pattern: RegExp) => assert.throws(() => readRecordHeader(bytes), (e: Error) => e instanceof RecordHeaderError && pattern.test(e.message));
    wrong(new Uint8Array(20), /shorter \(20 bytes\)/);
    wrong(v2Record({ sequence: 'ABCDEF' }), /six-digit sequence number/);
    wrong(v2Record({ quality: 'X' }), /quality indicator is "X"/);
    wrong(v2Record({ hour: 25 }), /not a time of day/);
    wrong(v2Record({ tenthMillis: 10_000 }), /fraction .* out of range/);
    wrong(v2Record({ lengthExponent: 20 }), /record length of 2\^20 bytes/);
    const noB1000 = v2Record();
    new DataView(noB1000.buffer).setUint16(48, 999, false);
    wrong(noB1000, /no blockette 1000/);
    const loop = v2Record({ microseconds: 1 });
    new DataView(loop.buffer).setUint16(58, 48, false);
    wrong(loop, /loops back/);
  });
});

describe('miniSEED 3 headers', () => {
  it('reads the source identifier, nanosecond start time, rate or period and record length', () => {
    const h = readRecordHeader(v3Record('FDSN:XX_STA1__H_H_Z', 100, 1000, 123_456_789, 8));
    assert.deepEqual([h.version, h.network, h.station, h.location, h.channel, h.samples, h.sampleRate, h.recordLength], [3, 'XX', 'STA1', '', 'HHZ', 1000, 100, 40 + 19 + 8 + 16]);
    assert.equal(isoMicros(h.startMicros), '2024-02-29T23:59:58.123456Z');
    assert.equal(readRecordHeader(v3Record('FDSN:XX_STA1_00_L_H_Z', -10, 1)).sampleRate, 0.1, 'a negative value is a period');
    assert.equal(readRecordHeader(v3Record('FDSN:XX_STA1_00_L_HH_Z', 1, 1)).channel, 'L_HH_Z', 'codes longer than one character keep their separators');
    assert.throws(() => readRecordHeader(v3Record('XX.STA1..HHZ', 1, 1)), /not FDSN:NET_STA_LOC_BAND_SOURCE_SUBSOURCE/);
  });
});

describe('reading records from a stream', () => {
  it('jumps from header to header over chunks of any size, and names the record and byte of a fault', async () => {
    const records = [v2Record({ sequence: '000001' }), v2Record({ sequence: '000002', lengthExponent: 8, little: true }), v2Record({ sequence: '000003', lengthExponent: 12 })];
    const file = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
    let at = 0;
    for (const r of records) { file.set(r, at); at += r.length; }
    for (const size of [1, 7, 100, 65536]) {
      const seen = [];
      for await (const h of readRecords(chunksOf(file, size))) seen.push(h.recordLength);
      assert.deepEqual(seen, [512, 256, 4096], `chunks of ${size}`);
    }
    const corrupt = file.slice();
    corrupt.fill(0x41, 768, 800);
    await assert.rejects(async () => { for await (const _ of readRecords(chunksOf(corrupt, 100))) { /* read on */ } }, /record 3 \(at byte 768\) is not a miniSEED record: it does not begin with a six-digit sequence number/);
    await assert.rejects(async () => { for await (const _ of readRecords(chunksOf(file.subarray(0, 1000), 100))) { /* read on */ } }, /record 3 \(at byte 768\) is cut short: the object ends 232 bytes into a 4096-byte record/);
  });
});
