/**
 * The browser side of `npm run bench`: functions the harness calls through Playwright. Files come from the page's
 * file input (real files on disk), because large Blobs built in the page fail in headless Chromium.
 */
import Uppy from '@uppy/core';
import AwsS3 from '@uppy/aws-s3';
import { BrowserUploadEngine as UploadEngine } from '../src/browser/browser-upload-engine.ts';
import { XhrPartTransport } from '../src/browser/xhr-transport.ts';
import { DropoffApi } from '../src/protocol/dropoff-api.ts';
import { HashPool, type PartDigest, type PartHasher } from '../src/worker/hash-pool.ts';

const MiB = 1024 * 1024;

/**
 * Uploads in flight, watched on XMLHttpRequest itself so that ours, Uppy's and the bare loop are measured the same
 * way: every PUT or POST sent by XHR here goes to the storage (server calls use fetch).
 */
const uploads = { inFlight: 0, max: 0, since: performance.now(), weighted: 0, started: 0, resetAt: performance.now(), firstAt: 0, lastDoneAt: 0 };
/** Each upload's start (+ms) and end (-ms), in ms since the first upload was sent (for BENCH_TIMELINE). */
let timeline: number[] = [];
function track(delta: number): void {
  const now = performance.now();
  // Never 0: the sign tells a start from an end.
  if (delta !== 0) timeline.push(delta * Math.max(0.001, now - (uploads.firstAt || now)));
  uploads.weighted += uploads.inFlight * (now - uploads.since);
  uploads.since = now;
  uploads.inFlight += delta;
  uploads.max = Math.max(uploads.max, uploads.inFlight);
}
const open = XMLHttpRequest.prototype.open;
const send = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.open = function (this: XMLHttpRequest & { benchMethod?: string }, method: string, ...rest: unknown[]) {
  this.benchMethod = method.toUpperCase();
  return (open as (...args: unknown[]) => void).call(this, method, ...rest);
} as typeof XMLHttpRequest.prototype.open;
XMLHttpRequest.prototype.send = function (this: XMLHttpRequest & { benchMethod?: string }, body?: Document | XMLHttpRequestBodyInit | null) {
  if (this.benchMethod === 'PUT' || this.benchMethod === 'POST') {
    if (uploads.started++ === 0) uploads.firstAt = performance.now();
    track(1);
    // readyState 4 comes before the load event, whose handlers may already send the next request.
    const done = () => {
      if (this.readyState !== 4) return;
      this.removeEventListener('readystatechange', done);
      track(-1);
      uploads.lastDoneAt = performance.now();
    };
    this.addEventListener('readystatechange', done);
  }
  return send.call(this, body);
};

/** Starts a fresh count of uploads in flight. */
function resetUploads(): void {
  const now = performance.now();
  Object.assign(uploads, { inFlight: 0, max: 0, since: now, weighted: 0, started: 0, resetAt: now, firstAt: 0, lastDoneAt: 0 });
  timeline = [];
}
(window as unknown as { benchTimeline: () => number[] }).benchTimeline = () => timeline;

/**
 * Uploads in flight since the last reset: the most at once and the time-weighted mean over `seconds`, and the seconds
 * spent before the first upload was sent and after the last one ended (time around the link, not on it).
 */
function uploadStats(seconds: number): { maxInFlight: number; meanInFlight: number; requests: number; beforeFirst: number; afterLast: number } {
  track(0);
  const ms = (a: number, b: number) => Math.max(0, b - a) / 1000;
  return {
    maxInFlight: uploads.max, meanInFlight: uploads.weighted / 1000 / seconds, requests: uploads.started,
    beforeFirst: uploads.started ? ms(uploads.resetAt, uploads.firstAt) : 0,
    afterLast: uploads.started ? ms(uploads.lastDoneAt, uploads.resetAt + seconds * 1000) : 0,
  };
}

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

/**
 * A diagnostic hasher: replays the digests of a file hashed before the run, so that an upload measured with it shows
 * what the engine costs without the hashing's CPU (which shares these two cores with the storage and the link's proxy).
 * Serves one fresh upload of one file: parts in order, no resume.
 */
class ReplayHasher implements PartHasher {
  private next = 0;

  constructor(private readonly md5s: readonly PartDigest[], private readonly sha256: string) {}

  hashPart(): { md5: Promise<PartDigest>; sha256: Promise<undefined> } {
    return { md5: Promise.resolve(this.md5s[this.next++]!), sha256: Promise.resolve(undefined) };
  }
  /**
   * A fresh upload asks for one MD5 on its own: the first part's, before create (its URL comes with the upload); that
   * MD5 is the one part 1 is sent with, so the parts hashed afterwards start at part 2.
   */
  md5(): Promise<PartDigest> {
    this.next = 1;
    return Promise.resolve(this.md5s[0]!);
  }
  sha256Update(): Promise<undefined> { return Promise.resolve(undefined); }
  sha256Restore(): Promise<void> { return Promise.resolve(); }
  sha256Finish(): Promise<string> { return Promise.resolve(this.sha256); }
  discard(): void {}
}

/** Digests of `name` in parts of `partSize`, hashed once and kept for {@link ReplayHasher}. */
const hashedBefore = new Map<string, { md5s: PartDigest[]; sha256: string }>();
async function hashBefore(name: string, partSize: number): Promise<{ md5s: PartDigest[]; sha256: string }> {
  const id = `${name}/${partSize}`;
  const known = hashedBefore.get(id);
  if (known) return known;
  const pool = new HashPool();
  const hashed = slices(fileNamed(name), partSize).map((part) => pool.hashPart('before', part, false));
  const md5s = await Promise.all(hashed.map((h) => h.md5));
  await Promise.all(hashed.map((h) => h.sha256));
  const digests = { md5s, sha256: await pool.sha256Finish('before') };
  pool.terminate();
  hashedBefore.set(id, digests);
  return digests;
}

/** What an engine is made for. */
interface EngineSetup { endpoint: string; token: string; partSize: number; partConcurrency: number; hashPipelineDepth?: number | undefined }

/** Engines made when the page loaded, as a page with `<dropoff-uploader>` makes its engine before a file is picked. */
const pageEngines = new Map<string, UploadEngine>();

/** Makes the engine for `setup` now (its hash workers warm up while the page is idle); `benchEngine` then uses it. */
function benchPrepareEngine(setup: EngineSetup): void {
  if (!pageEngines.has(engineId(setup))) pageEngines.set(engineId(setup), newEngine(setup));
}

/** The key of `setup` in {@link pageEngines}. */
function engineId(setup: EngineSetup): string {
  return JSON.stringify([setup.endpoint, setup.token, setup.partSize, setup.partConcurrency, setup.hashPipelineDepth]);
}

function newEngine(setup: EngineSetup, hasher?: PartHasher): UploadEngine {
  return new UploadEngine({
    api: new DropoffApi({ endpoint: setup.endpoint, token: setup.token }), store: null,
    partSize: setup.partSize, partConcurrency: setup.partConcurrency, ...(hasher ? { hasher } : {}),
    ...(setup.hashPipelineDepth !== undefined ? { hashPipelineDepth: setup.hashPipelineDepth } : {}),
  });
}

/**
 * Uploads `name` with the engine the page made for this setup when it loaded (or a new one; a new one always for the
 * diagnostic that replays digests); watches long tasks; returns seconds and what it saw.
 */
async function benchEngine(options: EngineSetup & { name: string; key: string; prehashed?: boolean }) {
  const replay = options.prehashed ? await hashBefore(options.name, options.partSize) : undefined;
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => { for (const entry of list.getEntries()) longTasks.push(entry.duration); });
  observer.observe({ type: 'longtask', buffered: false });
  const prepared = replay ? undefined : pageEngines.get(engineId(options));
  const engine = prepared ?? newEngine(options, replay ? new ReplayHasher(replay.md5s, replay.sha256) : undefined);
  resetUploads();
  const t = performance.now();
  const detail = await engine.putObject(fileNamed(options.name), options.key);
  const seconds = (performance.now() - t) / 1000;
  const stats = uploadStats(seconds);
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  if (!prepared) engine.dispose();
  return { seconds, ...stats, sha256: detail.sha256, etag: detail.etag, longTasks: longTasks.length, longestTaskMs: Math.max(0, ...longTasks) };
}

/** PUTs `name`'s parts to presigned URLs with `concurrency` at once: no hashing, nothing else. Returns ETags and seconds. */
async function benchBareLoop(options: { name: string; urls: string[]; partSize: number; concurrency: number }) {
  const parts = slices(fileNamed(options.name), options.partSize);
  const transport = new XhrPartTransport();
  const etags: string[] = new Array(parts.length);
  const never = new AbortController().signal;
  let next = 0;
  resetUploads();
  const t = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, async () => {
    while (next < parts.length) {
      const i = next++;
      etags[i] = (await transport.put({ url: options.urls[i]!, headers: {}, body: parts[i]! }, () => undefined, never)).etag;
    }
  }));
  const seconds = (performance.now() - t) / 1000;
  return { seconds, ...uploadStats(seconds), etags };
}

/** Uploads every file in the input whose name starts with `prefix`, under `keyPrefix`, with the engine. */
async function benchManyFiles(options: { prefix: string; endpoint: string; token: string; keyPrefix: string; partConcurrency: number; formMaxBytes?: number; pickMs: number }) {
  const chosen = files().filter((f) => f.name.startsWith(options.prefix));
  const engine = new UploadEngine({
    api: new DropoffApi({ endpoint: options.endpoint, token: options.token }), store: null, partConcurrency: options.partConcurrency,
    ...(options.formMaxBytes !== undefined ? { formMaxBytes: options.formMaxBytes } : {}),
  });
  // A page makes its engine before a person picks the files (as Uppy's is made before its timing starts): the time to
  // pick them passes before the upload.
  await new Promise((resolve) => setTimeout(resolve, options.pickMs));
  resetUploads();
  const t = performance.now();
  // When each file reached each state (ms since the start): first, median and last, for the log.
  const phases: Record<string, number[]> = {};
  engine.on('state', (e) => { (phases[e.detail.state] ??= []).push(performance.now() - t); });
  const result = await engine.putObjects(chosen.map((file) => ({ body: file, key: `${options.keyPrefix}${file.name}` })));
  const seconds = (performance.now() - t) / 1000;
  console.log(`states (count, first, median, last ms): ${JSON.stringify(Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, [v.length, Math.round(v[0]!), Math.round(v[Math.floor(v.length / 2)]!), Math.round(v.at(-1)!)]])))}`);
  engine.dispose();
  return { seconds, ...uploadStats(seconds), completed: result.completed.length, failed: result.failed.map((f) => `${f.key}: ${f.error.message}`) };
}

/** PUTs every file in the input whose name starts with `prefix` to presigned URLs, `concurrency` at once: no hashing, nothing else. */
async function benchBareMany(options: { prefix: string; urls: string[]; concurrency: number }) {
  const chosen = files().filter((f) => f.name.startsWith(options.prefix));
  const transport = new XhrPartTransport();
  const never = new AbortController().signal;
  let next = 0;
  resetUploads();
  const t = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, async () => {
    while (next < chosen.length) {
      const i = next++;
      await transport.put({ url: options.urls[i]!, headers: {}, body: chosen[i]! }, () => undefined, never);
    }
  }));
  const seconds = (performance.now() - t) / 1000;
  return { seconds, ...uploadStats(seconds), completed: chosen.length };
}

/**
 * Uploads files with Uppy 5 (@uppy/core + @uppy/aws-s3) against a Companion-style signer: `names` picks files from
 * the input, or `prefix` every file whose name starts with it. Parts of `partSize`, `limit` requests at once, the
 * plugin's defaults otherwise (single PUTs up to 100 MiB).
 */
async function benchUppy(options: { endpoint: string; names?: string[]; prefix?: string; partSize: number; limit: number }) {
  const chosen = files().filter((f) => (options.names ? options.names.includes(f.name) : f.name.startsWith(options.prefix ?? '')));
  const uppy = new Uppy({ autoProceed: false, allowMultipleUploadBatches: true });
  uppy.use(AwsS3, { endpoint: options.endpoint, limit: options.limit, getChunkSize: () => options.partSize });
  resetUploads();
  // Taking the files in is part of the work, as it is in ours (`putObjects` takes them in, then sends them).
  const t = performance.now();
  uppy.addFiles(chosen.map((file) => ({ name: file.name, type: file.type || 'application/octet-stream', data: file, source: 'bench' })));
  const result = await uppy.upload();
  const seconds = (performance.now() - t) / 1000;
  const stats = uploadStats(seconds);
  const failed = (result?.failed ?? []).map((f) => `${f.name}: ${String(f.error)}`);
  uppy.destroy();
  return { seconds, ...stats, completed: result?.successful?.length ?? 0, failed };
}


Object.assign(window, { benchHash, benchHashFile, benchPrepareEngine, benchHashBefore: (name: string, partSize: number) => hashBefore(name, partSize).then(() => undefined), benchEngine, benchBareLoop, benchManyFiles, benchBareMany, benchUppy });
