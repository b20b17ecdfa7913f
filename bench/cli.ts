/**
 * `npm run bench`, section "cli": the `dropoff` command against `@aws-sdk/lib-storage`'s `Upload` on the same Ceph
 * RGW, for one 1 GiB file and for 2,000 files of 64 KiB, each run as its own process (wall time and CPU seconds of
 * that process and its threads, measured by bash's `time`). Ours hashes every byte (MD5 per part in worker threads
 * for Content-MD5, SHA-256 of the whole file) and talks to the reference server (create, sign, complete, records);
 * lib-storage sends straight to the storage with the storage's own credentials and hashes nothing of its own. The
 * cost of our hashing is shown on its own. Run alone with `BENCH_SECTIONS=cli npm run bench`.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startLocalStack } from '../scripts/stack/local-stack.ts';
import { createS3Client, type S3Settings } from '../server/storage/s3-client.ts';
import { fileBody } from '../src/node/file-body.ts';
import { NodeHashPool } from '../src/node/node-hash-pool.ts';
import { ALICE, TEST_TOKENS } from '../test/support/test-users.ts';

const MiB = 1024 * 1024;
const PART = 8 * MiB;
const CONCURRENCY = 8;

/** Wall and CPU seconds of one child process (and its threads and children). */
interface Timed { readonly wall: number; readonly cpu: number }

/** Runs `command` under bash's `time`; rejects when it fails. */
function timed(command: string[], env: Record<string, string>): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const quoted = command.map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
    const child = spawn('bash', ['-c', `TIMEFORMAT='%R %U %S'; time ${quoted} > /dev/null`], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('exit', (code) => {
      const last = stderr.trim().split('\n').pop() ?? '';
      const [real, user, sys] = last.split(' ').map(Number) as [number, number, number];
      if (code !== 0 || Number.isNaN(real)) reject(new Error(`${command.join(' ')} failed (${code}): ${stderr.slice(-2000)}`));
      else resolve({ wall: real, cpu: user + sys });
    });
  });
}

async function writeRandomFile(path: string, size: number): Promise<void> {
  const handle = await open(path, 'w');
  for (let written = 0; written < size; written += 16 * MiB) await handle.write(randomBytes(Math.min(16 * MiB, size - written)));
  await handle.close();
}

async function removePrefix(s3: S3Settings, prefix: string): Promise<void> {
  const client = createS3Client(s3);
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: object.Key! }));
    token = page.NextContinuationToken;
  } while (token);
  client.destroy();
}

/** MD5 + SHA-256 of a file as the command does it (worker threads, 8 MiB parts), in seconds of wall time. */
async function hashAlone(path: string): Promise<number> {
  const pool = new NodeHashPool();
  const { file } = await fileBody(path);
  const started = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let start = 0; start < file.size; start += PART) {
    const hashed = pool.hashPart('bench', file.slice(start, start + PART), false);
    pending.push(hashed.md5, hashed.sha256);
    if (pending.length >= 8) await Promise.all(pending.splice(0, 2));
  }
  await Promise.all(pending);
  await pool.sha256Finish('bench');
  pool.terminate();
  return (performance.now() - started) / 1000;
}

/** Runs the section; `report` prints a line. */
export async function benchCli(report: (line: string) => void, quick: boolean): Promise<void> {
  const big = quick ? 256 * MiB : 1024 * MiB;
  const count = quick ? 300 : 2000;
  const dir = await mkdtemp(join(tmpdir(), 'dropoff-bench-cli-'));
  const stack = await startLocalStack({ storage: 'ceph', tokens: TEST_TOKENS, cephMemstoreBytes: 4 * 1024 * MiB });
  try {
    await writeRandomFile(join(dir, 'big.bin'), big);
    await mkdir(join(dir, 'many'));
    for (let i = 0; i < count; i++) await writeFile(join(dir, 'many', `small-${String(i).padStart(5, '0')}.bin`), randomBytes(64 * 1024));
    const env = { DROPOFF_ENDPOINT: stack.serverUrl, DROPOFF_TOKEN: ALICE.token, XDG_CACHE_HOME: join(dir, 'cache'), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const ours = (source: string, destination: string) => timed([process.execPath, '--import', 'tsx', 'src/cli/bin.ts', 'upload', '-c', 'other', '-d', destination,
      '-s', source, '--part-size', `${PART}`, '--part-concurrency', `${CONCURRENCY}`, '--force'], env);
    const theirs = (source: string, destination: string) => timed([process.execPath, '--import', 'tsx', 'bench/lib-storage-upload.ts', JSON.stringify(stack.s3),
      source, destination, `${PART}`, `${CONCURRENCY}`], env);
    const gib = big / 1024 ** 3;

    report(`\n## CLI: the dropoff command against @aws-sdk/lib-storage's Upload, Ceph RGW, ${PART / MiB} MiB parts, ${CONCURRENCY} at once (${availableParallelism()} cores)`);
    const hashSeconds = await hashAlone(join(dir, 'big.bin'));
    report(`hashing alone as the command does (MD5 + SHA-256, worker threads): ${(big / MiB / hashSeconds).toFixed(1)} MiB/s`);

    const bigPrefix = `${ALICE.space}bench-cli/`;
    const oursBig = await ours(join(dir, 'big.bin'), `${bigPrefix}ours.bin`);
    await removePrefix(stack.s3, bigPrefix);
    const theirsBig = await theirs(join(dir, 'big.bin'), `${bigPrefix}lib-storage.bin`);
    await removePrefix(stack.s3, bigPrefix);
    report(`${big / MiB} MiB: dropoff ${(big / MiB / oursBig.wall).toFixed(1)} MiB/s, lib-storage ${(big / MiB / theirsBig.wall).toFixed(1)} MiB/s, time ratio (dropoff / lib-storage) ${(oursBig.wall / theirsBig.wall).toFixed(2)}`);
    report(`  CPU per GiB of the uploading process: dropoff ${(oursBig.cpu / gib).toFixed(1)} s, lib-storage ${(theirsBig.cpu / gib).toFixed(1)} s (hashing every byte is most of the difference; the server's CPU is not counted)`);

    const manyPrefix = `${ALICE.space}bench-cli-many/`;
    const oursMany = await ours(join(dir, 'many'), `${manyPrefix}ours/`);
    const theirsMany = await theirs(join(dir, 'many'), `${manyPrefix}lib-storage/`);
    await removePrefix(stack.s3, manyPrefix);
    report(`${count} x 64 KiB: dropoff ${(count / oursMany.wall).toFixed(1)} files/s, lib-storage ${(count / theirsMany.wall).toFixed(1)} files/s, time ratio ${(oursMany.wall / theirsMany.wall).toFixed(2)}; CPU dropoff ${oursMany.cpu.toFixed(1)} s, lib-storage ${theirsMany.cpu.toFixed(1)} s`);
  } finally {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

// Run on its own: `tsx bench/cli.ts` (BENCH_QUICK=1 for smaller files).
if (import.meta.url === `file://${process.argv[1]}`) await benchCli((line) => console.log(line), process.env.BENCH_QUICK === '1');
