/**
 * The browser side of the "many files through the element" bench (bench/element-many.ts): the same files uploaded by
 * <dropoff-uploader> from its own file input, or by UploadEngine.add alone, with the main thread's long tasks watched.
 */
import '../src/element/dropoff-uploader.ts';
import type { DropoffUploader } from '../src/element/dropoff-uploader.ts';
import { BrowserUploadEngine as UploadEngine } from '../src/browser/browser-upload-engine.ts';
import { DropoffApi } from '../src/protocol/dropoff-api.ts';

/** What one run saw, timed in the page. */
export interface PageRun {
  readonly seconds: number;
  readonly stored: number;
  readonly failed: number;
  /** Durations of the main thread's tasks over 50 ms after the files were given, until the end. */
  readonly longTasksMs: number[];
  /**
   * The task that gave the files (element run: the browser building the FileList of the input, then its change event,
   * in which the element takes its first slice), when over 50 ms; not in longTasksMs. 0 for the engine run, whose
   * files are set on the input before the clock starts.
   */
  readonly deliveryTaskMs: number;
}

interface RunOptions {
  readonly endpoint: string;
  readonly token: string;
  readonly destination: string;
}

/** Collects long tasks from now on; the one running now (that began before `since`) is told apart. */
function watchLongTasks(since = performance.now()): { stop(): Promise<{ longTasksMs: number[]; deliveryTaskMs: number }> } {
  const durations: number[] = [];
  let deliveryTaskMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.startTime < since) deliveryTaskMs = entry.duration;
      else durations.push(entry.duration);
    }
  });
  observer.observe({ type: 'longtask', buffered: false });
  return {
    async stop() {
      // Entries are delivered after their task ends: give the last ones time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 200));
      observer.disconnect();
      return { longTasksMs: durations, deliveryTaskMs };
    },
  };
}

/**
 * Arms the element: sets its endpoint, token and prefix and starts listening; `window.benchElementRun` then resolves
 * once the files the bench sets on the element's input have all settled. The clock starts in the input's change event,
 * before the element reads the files.
 */
async function benchElementArm(options: RunOptions): Promise<void> {
  const el = document.querySelector<DropoffUploader>('#uploader')!;
  el.endpoint = options.endpoint;
  el.token = options.token;
  el.destination = options.destination;
  await el.updateComplete;
  const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!;
  (window as unknown as { benchElementRun: Promise<PageRun> }).benchElementRun = new Promise<PageRun>((resolve) => {
    let started = 0, given = 0;
    let watch: ReturnType<typeof watchLongTasks>;
    let stored = 0, failed = 0, refused = 0;
    el.addEventListener('dropoff-complete', () => stored++);
    el.addEventListener('dropoff-error', () => failed++);
    el.addEventListener('dropoff-files-rejected', (e) => { refused += e.detail.files.length; });
    input.addEventListener('change', () => {
      started = performance.now();
      given = input.files?.length ?? 0;
      watch = watchLongTasks(started);
    }, { capture: true, once: true });
    // The element takes files in slices, so the queue may drain before the last slice: done when every file settled.
    el.addEventListener('dropoff-done', function onDone() {
      if (!started || stored + failed + refused < given) return;
      el.removeEventListener('dropoff-done', onDone);
      const seconds = (performance.now() - started) / 1000;
      void watch.stop().then((tasks) => resolve({ seconds, stored, failed, ...tasks }));
    });
  });
}

/** Uploads every file of the page's #files input with UploadEngine.add, as the element's defaults would. */
async function benchEngineMany(options: RunOptions): Promise<PageRun> {
  const files = Array.from(document.querySelector<HTMLInputElement>('#files')!.files ?? []);
  const engine = new UploadEngine({ api: new DropoffApi({ endpoint: options.endpoint, token: options.token }), store: null });
  let stored = 0, failed = 0;
  engine.on('complete', () => stored++);
  engine.on('error', () => failed++);
  const watch = watchLongTasks();
  const started = performance.now();
  const finished = new Promise<void>((resolve) => engine.on('done', () => resolve()));
  engine.add(files, { destination: options.destination });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  engine.dispose();
  return { seconds, stored, failed, ...(await watch.stop()) };
}

Object.assign(window, { benchElementArm, benchEngineMany });
