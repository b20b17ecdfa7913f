/**
 * The browser side of `npm run bench`: functions the harness calls through Playwright. Files come from the page's
 * file input (real files on disk), because large Blobs built in the page fail in headless Chromium.
 */
import { BrowserUploadEngine as UploadEngine } from '../src/browser/browser-upload-engine.ts';
import { XhrPartTransport } from '../src/browser/xhr-transport.ts';
import { DropoffApi } from '../src/protocol/dropoff-api.ts';
import { HashPool } from '../src/worker/hash-pool.ts';

const MiB = 1024 * 1024;

function files(): File[] {
  return Array.from(document.querySelector<HTMLInputElement>('#files')!.files ?? []);
}

function fileNamed(name: string): File {
  const file = files().find((f) => f.name === name);
  if (!file) throw new Error(`No file ${name} in the input`);
  return file;
}

/** Slices of `file` of `size` bytes, at most `limit` bytes in all. */
function slices(file: File, size: number, limit = file.size): Blob[] {
  const out: Blob[] = [];
  for (let start = 0; start < Math.min(limit, file.size); start += size) out.push(file.slice(start, Math.min(start + size, limit)));
  return out;
}

/** Hash throughput in MiB/s: one worker one part at a time, then pools, for MD5, SHA-256, and both. */
async function benchHash(name: string, bytes: number, poolSizes: number[]) {
  const parts = slices(fileNamed(name), 8 * MiB, bytes);
  const rate = (ms: number) => bytes / MiB / (ms / 1000);
  const results: Record<string, number> = {};
  const single = new HashPool({ size: 1 });
  await single.md5(new Blob(['warm-up']));
  let t = performance.now();
  for (const part of parts) await single.md5(part);
  results.md5OneWorkerSequential = rate(performance.now() - t);
  t = performance.now();
  for (const part of parts) await single.sha256Update('sha', part, false);
  await single.sha256Finish('sha');
  results.sha256OneWorker = rate(performance.now() - t);
  single.terminate();
  for (const size of poolSizes) {
    const pool = new HashPool({ size });
    await Promise.all(Array.from({ length: size }, () => pool.md5(new Blob(['warm-up']))));
    t = performance.now();
    await Promise.all(parts.map((part) => pool.md5(part)));
    results[`md5Pool${size}`] = rate(performance.now() - t);
    t = performance.now();
    const hashed = parts.map((part) => pool.hashPart('both', part, false));
    await Promise.all(hashed.flatMap((h) => [h.md5, h.sha256]));
    await pool.sha256Finish('both');
    results[`md5AndSha256Pool${size}`] = rate(performance.now() - t);
    pool.terminate();
  }
  return results;
}

/** Hashes `name` (MD5 of every 8 MiB part and the file's SHA-256) as the engine does, with the default pool; seconds. */
async function benchHashFile(name: string) {
  const parts = slices(fileNamed(name), 8 * MiB);
  const pool = new HashPool();
  const t = performance.now();
  const hashed = parts.map((part) => pool.hashPart('file', part, false));
  await Promise.all(hashed.flatMap((h) => [h.md5, h.sha256]));
  await pool.sha256Finish('file');
  const seconds = (performance.now() - t) / 1000;
  pool.terminate();
  return { seconds, workers: pool.size };
}

/** Uploads `name` with the engine; watches long tasks; returns seconds and what it saw. */
async function benchEngine(options: { name: string; endpoint: string; token: string; key: string; partSize: number; partConcurrency: number }) {
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => { for (const entry of list.getEntries()) longTasks.push(entry.duration); });
  observer.observe({ type: 'longtask', buffered: false });
  const engine = new UploadEngine({
    api: new DropoffApi({ endpoint: options.endpoint, token: options.token }), store: null,
    partSize: options.partSize, partConcurrency: options.partConcurrency,
  });
  const t = performance.now();
  const detail = await engine.putObject(fileNamed(options.name), options.key);
  const seconds = (performance.now() - t) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return { seconds, sha256: detail.sha256, etag: detail.etag, longTasks: longTasks.length, longestTaskMs: Math.max(0, ...longTasks) };
}

/** PUTs `name`'s parts to presigned URLs with `concurrency` at once: no hashing, nothing else. Returns ETags and seconds. */
async function benchBareLoop(options: { name: string; urls: string[]; partSize: number; concurrency: number }) {
  const parts = slices(fileNamed(options.name), options.partSize);
  const transport = new XhrPartTransport();
  const etags: string[] = new Array(parts.length);
  const never = new AbortController().signal;
  let next = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, async () => {
    while (next < parts.length) {
      const i = next++;
      etags[i] = (await transport.put({ url: options.urls[i]!, headers: {}, body: parts[i]! }, () => undefined, never)).etag;
    }
  }));
  return { seconds: (performance.now() - t) / 1000, etags };
}

/** Uploads every file in the input whose name starts with `prefix`, under `keyPrefix`, with the engine. */
async function benchManyFiles(options: { prefix: string; endpoint: string; token: string; keyPrefix: string; partConcurrency: number }) {
  const chosen = files().filter((f) => f.name.startsWith(options.prefix));
  const engine = new UploadEngine({
    api: new DropoffApi({ endpoint: options.endpoint, token: options.token }), store: null, partConcurrency: options.partConcurrency,
  });
  const t = performance.now();
  const result = await engine.putObjects(chosen.map((file) => ({ body: file, key: `${options.keyPrefix}${file.name}` })));
  return { seconds: (performance.now() - t) / 1000, completed: result.completed.length, failed: result.failed.map((f) => `${f.key}: ${f.error.message}`) };
}

Object.assign(window, { benchHash, benchHashFile, benchEngine, benchBareLoop, benchManyFiles });
