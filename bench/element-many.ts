/**
 * Bench section "many files through the element": 1,000 mixed files (1-20 KiB and three of 20 MiB) given at once to
 * <dropoff-uploader> on a plain page (bench/element-page.html) through its file input, and the same files given to
 * UploadEngine.add alone on the same page, each after a fresh load. For each: seconds, files per second, the main
 * thread's long tasks (over 50 ms) after the files were given (the task that gave them, the browser's FileList and
 * change event, is reported apart), and the page's peak JS heap (CDP, sampled every 100 ms). The element's target is
 * >= 0.9x the engine's files per second and no task over 100 ms.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const MiB = 1024 * 1024;

/** One run's figures. */
export interface ManyFilesRun {
  readonly seconds: number;
  readonly filesPerSecond: number;
  readonly stored: number;
  readonly failed: number;
  /** Main-thread tasks over 50 ms after the files were given. */
  readonly longTasks: number;
  readonly longestTaskMs: number;
  /**
   * Element run: the task in which the browser built the input's FileList and fired its change event (the element
   * takes its first ~20 ms slice of files in it), when over 50 ms; 0 when shorter, and for the engine run.
   */
  readonly deliveryTaskMs: number;
  readonly peakHeapMiB: number;
}

/** Both runs and the element's files per second over the engine's. */
export interface ElementManyResult {
  readonly element: ManyFilesRun;
  readonly engine: ManyFilesRun;
  /** element.filesPerSecond / engine.filesPerSecond. */
  readonly ratio: number;
}

/** Options of {@link benchElementMany}. */
export interface ElementManyOptions {
  /** The reference server. */
  readonly serverUrl: string;
  /** Its Bearer token. */
  readonly token: string;
  /** Files on disk (see {@link writeMixedFiles}). */
  readonly files: readonly string[];
  /** Key prefix (in the token's space, ending in `/`); each run writes under its own folder below it. */
  readonly keyPrefix: string;
  /** URL of bench/element-page.html. Default: beside the page's current URL (bench/page.html on the bench's Vite server). */
  readonly pageUrl?: string;
  /** Which runs first. Default: the engine. */
  readonly order?: 'engine-first' | 'element-first';
  /** Called between the two runs (e.g. to wait for the server's background validation). */
  readonly between?: () => Promise<void>;
}

/** Writes `small` files of 1-20 KiB and `big` of 20 MiB of random bytes into `dir`; returns their paths. */
export async function writeMixedFiles(dir: string, small = 997, big = 3): Promise<string[]> {
  const paths: string[] = [];
  const total = small + big;
  // The big ones spread through the list, as a folder of data files would have them.
  const bigAt = new Set(Array.from({ length: big }, (_, i) => Math.floor(((i + 0.5) * total) / big)));
  for (let i = 0; i < total; i++) {
    const path = join(dir, `mixed-${String(i).padStart(5, '0')}.bin`);
    await writeFile(path, randomBytes(bigAt.has(i) ? 20 * MiB : 1024 + Math.floor(Math.random() * 19 * 1024)));
    paths.push(path);
  }
  return paths;
}

interface PageRun { seconds: number; stored: number; failed: number; longTasksMs: number[]; deliveryTaskMs: number }

/** Samples the page's JS heap through CDP every 100 ms until stopped; returns the peak in MiB. */
async function watchHeap(page: Page): Promise<{ stop(): Promise<number> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const used = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / MiB;
  let peak = await used();
  let sampling = Promise.resolve();
  const timer = setInterval(() => {
    sampling = sampling.then(async () => { peak = Math.max(peak, await used().catch(() => 0)); });
  }, 100);
  return {
    async stop() {
      clearInterval(timer);
      await sampling;
      peak = Math.max(peak, await used());
      await cdp.detach();
      return peak;
    },
  };
}

function figures(run: PageRun, peakHeapMiB: number): ManyFilesRun {
  return {
    seconds: run.seconds, filesPerSecond: run.stored / run.seconds, stored: run.stored, failed: run.failed,
    longTasks: run.longTasksMs.length, longestTaskMs: Math.max(0, ...run.longTasksMs), deliveryTaskMs: run.deliveryTaskMs, peakHeapMiB,
  };
}

async function load(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => 'benchElementArm' in window && customElements.get('dropoff-uploader') !== undefined);
}

async function elementRun(page: Page, url: string, options: ElementManyOptions, destination: string): Promise<ManyFilesRun> {
  await load(page, url);
  await page.evaluate((o) => (window as any).benchElementArm(o), { endpoint: options.serverUrl, token: options.token, destination });
  const heap = await watchHeap(page);
  await page.locator('#uploader input[type=file]').setInputFiles([...options.files]);
  const run = await page.evaluate(() => (window as any).benchElementRun) as PageRun;
  return figures(run, await heap.stop());
}

async function engineRun(page: Page, url: string, options: ElementManyOptions, destination: string): Promise<ManyFilesRun> {
  await load(page, url);
  await page.locator('#files').setInputFiles([...options.files]);
  const heap = await watchHeap(page);
  const run = await page.evaluate((o) => (window as any).benchEngineMany(o), { endpoint: options.serverUrl, token: options.token, destination }) as PageRun;
  return figures(run, await heap.stop());
}

/** Runs the files through the engine alone and through the element, one after the other, on fresh loads of the page. */
export async function benchElementMany(page: Page, options: ElementManyOptions): Promise<ElementManyResult> {
  const url = options.pageUrl ?? new URL('element-page.html', page.url()).href;
  const stamp = Date.now().toString(36);
  const runs = {
    engine: () => engineRun(page, url, options, `${options.keyPrefix}engine-${stamp}/`),
    element: () => elementRun(page, url, options, `${options.keyPrefix}element-${stamp}/`),
  };
  const order = options.order === 'element-first' ? (['element', 'engine'] as const) : (['engine', 'element'] as const);
  const first = await runs[order[0]]();
  await options.between?.();
  const second = await runs[order[1]]();
  const result = order[0] === 'engine' ? { engine: first, element: second } : { element: first, engine: second };
  return { ...result, ratio: result.element.filesPerSecond / result.engine.filesPerSecond };
}
