/**
 * `npm run bench`: measures the engine on this machine and prints figures, as ratios within one run:
 * 1. hash throughput of the worker pool against one worker;
 * 2. upload throughput of a 1 GiB file, engine against a bare loop of the same PUTs (same parts, same concurrency, no
 *    hashing, no signer calls), on Ceph RGW and on s3rver, unthrottled and through a 50 MiB/s proxy, with CPU seconds
 *    per GiB of the browser, the storage and this process (reference server, proxy, s3rver);
 * 3. peak JS heap of the page during a 2 GiB upload; 4. main-thread long tasks during uploads;
 * 5. files per second for 2,000 files of 64 KiB.
 * Not part of `npm test`. Options: BENCH_QUICK=1 uses smaller files.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, DeleteObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createServer as createVite } from 'vite';
import type { Page } from 'playwright-core';
import { startServer } from '../server/main.ts';
import { createS3Client, type S3Settings } from '../server/storage/s3-client.ts';
import { launchChromium } from '../scripts/stack/chromium.ts';
import { startLocalStack, type LocalStack } from '../scripts/stack/local-stack.ts';
import { ALICE, TEST_TOKENS } from '../test/support/test-users.ts';
import { cpuBetween, sampleCpu, type CpuSample } from './cpu.ts';
import { startThrottleProxy } from './throttle-proxy.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const MiB = 1024 * 1024;
const quick = process.env.BENCH_QUICK === '1';
const BIG = quick ? 256 * MiB : 1024 * MiB;
const HUGE = quick ? 512 * MiB : 2048 * MiB;
const SMALL_COUNT = quick ? 300 : 2000;
const PART = 8 * MiB;
const CONCURRENCY = 6;
const LINK = 50 * MiB;
/** Sections to run (BENCH_SECTIONS=hash,upload,heap,many); all by default. */
const sections = new Set((process.env.BENCH_SECTIONS ?? 'hash,upload,heap,many').split(','));

async function writeRandomFile(path: string, size: number): Promise<void> {
  const handle = await open(path, 'w');
  for (let written = 0; written < size; written += 16 * MiB) await handle.write(randomBytes(Math.min(16 * MiB, size - written)));
  await handle.close();
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const lines: string[] = [];
function report(line: string): void {
  lines.push(line);
  console.log(line);
}

/** One storage, reachable directly and through the throttling proxy, each with its own reference server. */
interface Target { name: string; stack: LocalStack; direct: { serverUrl: string; s3: S3Settings }; throttled: { serverUrl: string; s3: S3Settings }; close(): Promise<void> }

async function target(name: string, stack: LocalStack): Promise<Target> {
  const proxy = await startThrottleProxy(Number(new URL(stack.s3.endpoint).port), LINK);
  const s3 = { ...stack.s3, endpoint: proxy.url };
  const server = await startServer({ ...stack.config, port: 0, s3 });
  return {
    name, stack,
    direct: { serverUrl: stack.serverUrl, s3: stack.s3 },
    throttled: { serverUrl: server.url, s3 },
    close: async () => { await server.close(); await proxy.close(); await stack.stop(); },
  };
}

async function engineRun(page: Page, serverUrl: string, key: string) {
  const before = sampleCpu();
  const result = await page.evaluate((o) => (window as any).benchEngine(o), { name: 'big.bin', endpoint: serverUrl, token: ALICE.token, key, partSize: PART, partConcurrency: CONCURRENCY });
  return { ...result, cpu: cpuBetween(before, sampleCpu()) };
}

async function bareRun(page: Page, s3: S3Settings, key: string) {
  const client = createS3Client(s3);
  const before = sampleCpu();
  const t = performance.now();
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: s3.bucket, Key: key }));
  const count = Math.ceil(BIG / PART);
  const urls = await Promise.all(Array.from({ length: count }, (_, i) =>
    getSignedUrl(client, new UploadPartCommand({ Bucket: s3.bucket, Key: key, UploadId, PartNumber: i + 1 }), { expiresIn: 3600 })));
  const result = await page.evaluate((o) => (window as any).benchBareLoop(o), { name: 'big.bin', urls, partSize: PART, concurrency: CONCURRENCY }) as { seconds: number; etags: string[] };
  await client.send(new CompleteMultipartUploadCommand({
    Bucket: s3.bucket, Key: key, UploadId, MultipartUpload: { Parts: result.etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
  }));
  const seconds = (performance.now() - t) / 1000;
  client.destroy();
  return { seconds, cpu: cpuBetween(before, sampleCpu()) };
}

async function remove(s3: S3Settings, key: string): Promise<void> {
  const client = createS3Client(s3);
  await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key })).catch(() => undefined);
  client.destroy();
}

function cpuPerGiB(cpu: CpuSample): string {
  const gib = BIG / 1024 ** 3;
  return `browser ${fmt(cpu.browser / gib)} s, storage ${fmt(cpu.storage / gib)} s, server+proxy${cpu.storage === 0 ? '+s3rver' : ''} ${fmt(cpu.harness / gib)} s`;
}

const dir = await mkdtemp(join(tmpdir(), 'dropoff-bench-'));
const targets: Target[] = [];
let closeAll = async () => undefined as void;
try {
  console.log(`Writing test files (${BIG / MiB} MiB, ${HUGE / MiB} MiB, ${SMALL_COUNT} x 64 KiB) to ${dir}…`);
  await writeRandomFile(join(dir, 'big.bin'), BIG);
  await writeRandomFile(join(dir, 'huge.bin'), HUGE);
  for (let i = 0; i < SMALL_COUNT; i++) await writeFile(join(dir, `small-${String(i).padStart(5, '0')}.bin`), randomBytes(64 * 1024));

  console.log('Starting Ceph RGW, s3rver, reference servers, throttling proxies, the bench page and Chromium…');
  targets.push(await target('Ceph RGW', await startLocalStack({ storage: 'ceph', tokens: TEST_TOKENS, cephMemstoreBytes: 8 * 1024 * MiB })));
  targets.push(await target('s3rver', await startLocalStack({ storage: 's3rver', tokens: TEST_TOKENS })));
  // No HMR: an edit during a run must not reload the page under the measurement.
  const vite = await createVite({ configFile: 'vite.config.ts', logLevel: 'error', server: { host: '127.0.0.1', port: 0, hmr: false, watch: null } });
  await vite.listen();
  const address = vite.httpServer!.address();
  const pageUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/bench/page.html`;
  const browser = await launchChromium();
  closeAll = async () => { await browser.close(); await vite.close(); for (const t of targets) await t.close(); };
  const page = await browser.newPage();
  await page.goto(pageUrl);
  await page.waitForFunction(() => 'benchEngine' in window);
  const smallNames = Array.from({ length: SMALL_COUNT }, (_, i) => join(dir, `small-${String(i).padStart(5, '0')}.bin`));
  await page.locator('#files').setInputFiles([join(dir, 'big.bin'), join(dir, 'huge.bin'), ...smallNames]);

  report(`\n# dropoff-uploader benchmarks (${new Date().toISOString().slice(0, 10)}, ${(await import('node:os')).cpus().length} cores, Chromium ${browser.version()})`);

  const longTasks: string[] = [];
  if (sections.has('hash')) {
    report(`\n## 1. Hashing (${BIG / 2 / MiB} MiB in 8 MiB parts, in Web Workers)`);
    const hash = await page.evaluate((o) => (window as any).benchHash(o.name, o.bytes, [1, 2]), { name: 'big.bin', bytes: BIG / 2 }) as Record<string, number>;
    report(`hash-wasm in one worker, one part at a time (raw speed with a round trip per part): MD5 ${fmt(hash.md5OneWorkerSequential!)} MiB/s, SHA-256 ${fmt(hash.sha256OneWorker!)} MiB/s`);
    const one = hash.md5Pool1!;
    for (const size of [1, 2]) {
      const md5 = hash[`md5Pool${size}`]!;
      report(`pool of ${size}: MD5 ${fmt(md5)} MiB/s = ${fmt(md5 / (size * one), 2)} x (workers x one pooled worker); MD5 + SHA-256 of a file ${fmt(hash[`md5AndSha256Pool${size}`]!)} MiB/s`);
    }
  }

  if (sections.has('upload')) {
    report(`\n## 2. Upload of ${BIG / MiB} MiB, ${PART / MiB} MiB parts, ${CONCURRENCY} at once`);
    const hashCpuBefore = sampleCpu();
    const hashFile = await page.evaluate((name) => (window as any).benchHashFile(name), 'big.bin') as { seconds: number; workers: number };
    const hashCpu = cpuBetween(hashCpuBefore, sampleCpu()).browser / (BIG / 1024 ** 3);
    report(`hashing the file alone as the engine does (default pool of ${hashFile.workers}): ${fmt(BIG / MiB / hashFile.seconds)} MiB/s, ${fmt(hashCpu)} browser CPU-s per GiB`);
    for (const t of targets) {
      for (const [label, via] of [['unthrottled', t.direct], [`link limited to ${LINK / MiB} MiB/s`, t.throttled]] as const) {
        const engineKey = `${ALICE.space}bench/engine-${Date.now()}`;
        const bareKey = `${ALICE.space}bench/bare-${Date.now()}`;
        const engine = await engineRun(page, via.serverUrl, engineKey);
        await remove(t.stack.s3, engineKey);
        const bare = await bareRun(page, via.s3, bareKey);
        await remove(t.stack.s3, bareKey);
        if (engine.longTasks) longTasks.push(`${engine.longTasks} (longest ${fmt(engine.longestTaskMs, 0)} ms) during the engine upload to ${t.name}, ${label}`);
        const rate = (s: number) => BIG / MiB / s;
        report(`${t.name}, ${label}: engine (MD5 + SHA-256) ${fmt(rate(engine.seconds))} MiB/s, bare loop ${fmt(rate(bare.seconds))} MiB/s, ratio ${fmt(bare.seconds / engine.seconds, 2)}`);
        report(`  CPU per GiB, engine: ${cpuPerGiB(engine.cpu)}`);
        report(`  CPU per GiB, bare:   ${cpuPerGiB(bare.cpu)}`);
        report(`  the engine's extra browser CPU: ${fmt((engine.cpu.browser - bare.cpu.browser) / (BIG / 1024 ** 3))} s per GiB (hashing alone: ${fmt(hashCpu)})`);
      }
    }
  }

  if (sections.has('heap')) {
    report(`\n## 3. JS heap of the page during a ${HUGE / MiB} MiB upload (s3rver)`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / MiB;
    const baseline = await heap();
    let peak = baseline;
    const sampler = setInterval(() => void heap().then((h) => { peak = Math.max(peak, h); }), 250);
    const hugeKey = `${ALICE.space}bench/huge-${Date.now()}`;
    const huge = await page.evaluate((o) => (window as any).benchEngine(o), { name: 'huge.bin', endpoint: targets[1]!.direct.serverUrl, token: ALICE.token, key: hugeKey, partSize: PART, partConcurrency: CONCURRENCY });
    clearInterval(sampler);
    await remove(targets[1]!.stack.s3, hugeKey);
    if (huge.longTasks) longTasks.push(`${huge.longTasks} (longest ${fmt(huge.longestTaskMs, 0)} ms) during the ${HUGE / MiB} MiB upload to s3rver`);
    report(`main-thread JS heap: ${fmt(baseline)} MiB before, peak ${fmt(peak)} MiB during (${fmt(peak - baseline)} MiB more) for a ${HUGE / MiB} MiB file`);
  }

  if (sections.has('upload') || sections.has('heap')) {
    report('\n## 4. Main-thread long tasks (> 50 ms) during the engine uploads above');
    report(longTasks.length ? longTasks.join('\n') : 'none');
  }

  if (sections.has('many')) {
    report(`\n## 5. Many small files: ${SMALL_COUNT} x 64 KiB`);
    for (const t of targets) {
      const many = await page.evaluate((o) => (window as any).benchManyFiles(o), { prefix: 'small-', endpoint: t.direct.serverUrl, token: ALICE.token, keyPrefix: `${ALICE.space}bench/many-${Date.now()}/`, partConcurrency: CONCURRENCY }) as { seconds: number; completed: number; failed: string[] };
      report(`${t.name}: ${fmt(many.completed / many.seconds)} files/s (${many.completed} stored${many.failed.length ? `, ${many.failed.length} failed: ${many.failed[0]}` : ''})`);
    }
  }
} finally {
  await closeAll();
  await rm(dir, { recursive: true, force: true });
}
if ((process.env.BENCH_SECTIONS ?? 'cli').split(',').includes('cli')) await (await import('./cli.ts')).benchCli(report, quick);
