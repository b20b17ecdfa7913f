/**
 * Real miniSEED files for the processing tests, made with Debian's libmseed tools (installed by
 * scripts/install-system-deps.sh): libmseed's own example `test.mseed` (libmseed-doc), and files repacked from it by
 * `mseed2sac` then `sac2mseed` with other stream codes, record lengths, encodings and byte order. The expected record
 * counts are what sac2mseed (libmseed) prints for each file it writes.
 */
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** libmseed's example file, as Debian's libmseed-doc installs it. */
export const LIBMSEED_TEST_FILE = '/usr/share/doc/libmseed-dev/examples/test.mseed';

/**
 * What libmseed's `msview` prints for test.mseed (36 records of 512 bytes, Steim-2, IU_COLA_00_LHZ, 4200 samples at
 * 1 Hz): the first record starts at 2010,058,06:50:00.069539 and the last (27 samples) at 07:59:33.069538, so its
 * last sample is at 07:59:59.069538. Day 58 of 2010 is 27 February.
 */
export const TEST_MSEED = {
  network: 'IU', station: 'COLA', location: '00', channel: 'LHZ', records: 36, samples: 4200, sampleRate: 1,
  firstSample: '2010-02-27T06:50:00.069539Z', lastSample: '2010-02-27T07:59:59.069538Z', size: 18432,
} as const;

/** One file made for a test, and what it should be inventoried as. */
export interface MiniseedFile {
  readonly name: string;
  readonly path: string;
  readonly bytes: Buffer;
  readonly expected: { network: string; station: string; location: string; channel: string; records: number; samples: number };
}

/** Repacks test.mseed as stream `code` (NET.STA.LOC.CHA) with `recordLength`, `encoding` and byte order, in `dir`. */
async function repack(dir: string, sac: string, name: string, code: string, recordLength: number, encoding: number, bigEndian: boolean): Promise<MiniseedFile> {
  const [network, station, location, channel] = code.split('.') as [string, string, string, string];
  const path = join(dir, name);
  const { stdout, stderr } = await execFileAsync('sac2mseed', ['-v', '-n', network, '-t', station, '-l', location, '-c', channel, '-r', String(recordLength),
    '-e', String(encoding), '-b', bigEndian ? '1' : '0', '-o', path, sac]);
  // sac2mseed -v prints "Packed 1 trace(s) of 4200 samples into 74 records".
  const printed = `${stdout}${stderr}`;
  const packed = /Packed \d+ trace\(s\) of (\d+) samples into (\d+) records/.exec(printed);
  if (!packed) throw new Error(`sac2mseed did not say what it packed:\n${printed}`);
  return { name, path, bytes: await readFile(path), expected: { network, station, location, channel, records: Number(packed[2]), samples: Number(packed[1]) } };
}

/** Makes a folder of miniSEED files in `dir`: test.mseed and three repacked from it. */
export async function makeMiniseedFolder(dir: string): Promise<MiniseedFile[]> {
  await mkdir(dir, { recursive: true });
  const original = join(dir, 'test.mseed');
  await copyFile(LIBMSEED_TEST_FILE, original);
  const work = join(dir, '.sac');
  await mkdir(work, { recursive: true });
  await execFileAsync('mseed2sac', [original], { cwd: work });
  const sac = join(work, (await readdir(work)).find((f) => f.endsWith('.SAC'))!);
  const { network, station, location, channel, records, samples } = TEST_MSEED;
  return [
    { name: 'test.mseed', path: original, bytes: await readFile(original), expected: { network, station, location, channel, records, samples } },
    await repack(dir, sac, 'sta1-le-256.mseed', 'XX.STA1.10.BHZ', 256, 10, false),
    await repack(dir, sac, 'sta2-4096.mseed', 'XX.STA2..HHN', 4096, 11, true),
    await repack(dir, sac, 'sta3-int32.mseed', 'YY.STA3.20.EHE', 1024, 3, true),
  ];
}
