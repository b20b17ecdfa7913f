/**
 * The upload engine: a queue of files, each uploaded in parts through presigned URLs, with every part of every file
 * sharing one part queue. Plain TypeScript with its ports injected; the element is only a shell around it.
 */
import PQueue from 'p-queue';
import type { UploadApi } from '../protocol/upload-api.ts';
import { IdbResumeStore } from '../store/idb-resume-store.ts';
import { fingerprintOf, type ResumeStore } from '../store/resume-record.ts';
import { HashWorkerClient, type PartHasher } from '../worker/hash-client.ts';
import { keyFor, keyProblem } from './key-rules.ts';
import { uploadObject, type ObjectUploadContext } from './object-upload.ts';
import { DEFAULT_PART_SIZE, MAX_OBJECT_SIZE, choosePartSize } from './part-plan.ts';
import { XhrPartTransport, type PartTransport } from './part-transport.ts';
import { ProgressReporter } from './progress-reporter.ts';
import { TypedEventTarget } from './typed-event-target.ts';
import { AbortedError, UploadError } from './upload-error.ts';
import type { UploadEngineEventMap } from './upload-events.ts';
import { UploadTask, type UploadItem } from './upload-task.ts';

/** Options of {@link UploadEngine}; every one but `api` has a default. */
export interface UploadEngineOptions {
  /** The server protocol (e.g. DropoffApi). Required. */
  readonly api: UploadApi;
  /** Identifies the server in resume records. Default `''`. */
  readonly endpoint?: string;
  /** Hashes parts. Default: a HashWorkerClient (hash-wasm in a Web Worker). */
  readonly hasher?: PartHasher;
  /** Sends parts. Default: XhrPartTransport. */
  readonly transport?: PartTransport;
  /** Keeps resume records; `null` keeps none. Default: IdbResumeStore. */
  readonly store?: ResumeStore | null;
  /** Part size in bytes, raised as needed for S3's limits. Default 8 MiB. */
  readonly partSize?: number;
  /** Part PUTs in flight over all files. Default 6 (Chromium's connections per host). */
  readonly partConcurrency?: number;
  /** Files uploading at once. Default 3. */
  readonly objectConcurrency?: number;
  /** Retries of a failed step before the file fails. Default 5. */
  readonly maxRetries?: number;
  /** Category sent with every file unless `add` names one. Default `''`. */
  readonly category?: string;
  /** Key or prefix (ending in `/`) used unless `add` names one. Default `''` (the file's path). */
  readonly destination?: string;
  /** Shortest time between two progress events of one file, in ms. Default 200. */
  readonly progressIntervalMs?: number;
  /** Start files as soon as they are added. Default true. */
  readonly autoStart?: boolean;
  /** Diagnostics. Default: none. */
  readonly log?: (message: string) => void;
}

/** A file to upload: a File, or any Blob with a name (and, from a folder, its relative path). */
export type UploadSource = File | { readonly file: Blob; readonly name: string; readonly relativePath?: string; readonly lastModified?: number };

/** Per-call options of {@link UploadEngine.add}. */
export interface AddOptions {
  /** Key, or prefix ending in `/`. Default: the engine's `destination`. */
  readonly destination?: string;
  /** Data category. Default: the engine's `category`. */
  readonly category?: string;
}

/**
 * Uploads files to S3-compatible storage through an {@link UploadApi}.
 *
 * Events (see UploadEngineEventMap): `added`, `rejected`, `state`, `progress`, `complete`, `error`, `done`.
 */
export class UploadEngine extends TypedEventTarget<UploadEngineEventMap> {
  private readonly tasks: UploadTask[] = [];
  private readonly objectQueue: PQueue;
  private readonly context: ObjectUploadContext;
  private readonly reporter: ProgressReporter;
  private readonly partSize: number;
  private readonly category: string;
  private readonly destination: string;
  private readonly autoStart: boolean;
  private busy = false;

  /** @param options see {@link UploadEngineOptions} */
  constructor(options: UploadEngineOptions) {
    super();
    const partConcurrency = Math.max(1, options.partConcurrency ?? 6);
    this.partSize = options.partSize ?? DEFAULT_PART_SIZE;
    this.category = options.category ?? '';
    this.destination = options.destination ?? '';
    this.autoStart = options.autoStart ?? true;
    this.objectQueue = new PQueue({ concurrency: Math.max(1, options.objectConcurrency ?? 3) });
    this.reporter = new ProgressReporter(() => this.tasks, (detail) => this.emit('progress', detail), options.progressIntervalMs ?? 200);
    this.context = {
      api: options.api,
      hasher: options.hasher ?? new HashWorkerClient(),
      transport: options.transport ?? new XhrPartTransport(),
      store: options.store === null ? undefined : (options.store ?? new IdbResumeStore()),
      partQueue: new PQueue({ concurrency: partConcurrency }),
      endpoint: options.endpoint ?? '',
      maxRetries: Math.max(0, options.maxRetries ?? 5),
      hashAhead: partConcurrency,
      onProgress: (task) => this.reporter.report(task),
      onState: (task) => this.emit('state', { key: task.key, state: task.state }),
      log: options.log ?? (() => undefined),
    };
  }

  /** Every file the engine knows, in the order added. */
  get items(): UploadItem[] {
    return this.tasks.map((task) => task.snapshot());
  }

  /**
   * Adds files. Each gets its key from the destination (a prefix gets the file's relative path appended); files whose
   * key is invalid, already queued, or too large are refused with a `rejected` event. Returns the accepted files.
   */
  add(sources: Iterable<UploadSource>, options: AddOptions = {}): UploadItem[] {
    const destination = options.destination ?? this.destination;
    const category = options.category ?? this.category;
    const accepted: UploadTask[] = [];
    const rejected: { name: string; size: number; reason: string }[] = [];
    for (const source of sources) {
      const { file, name } = describeSource(source);
      const reason = this.refusal(destination, name, file.size, accepted.length);
      if (reason) {
        rejected.push({ name, size: file.size, reason });
        continue;
      }
      const key = keyFor(destination, name);
      const fileInfo = { name, size: file.size, type: file.type, lastModified: 'lastModified' in source ? source.lastModified : undefined };
      const task = new UploadTask(file, name, key, category, fingerprintOf(fileInfo, key, this.context.endpoint), choosePartSize(file.size, this.partSize));
      this.tasks.push(task);
      accepted.push(task);
    }
    if (rejected.length) this.emit('rejected', { files: rejected });
    if (accepted.length) {
      this.emit('added', { files: accepted.map((t) => ({ key: t.key, name: t.name, size: t.size })) });
      if (this.autoStart) for (const task of accepted) this.schedule(task);
    }
    return accepted.map((t) => t.snapshot());
  }

  /** Starts every queued file that has not started (for `autoStart: false`). */
  start(): void {
    for (const task of this.tasks) if (task.state === 'queued' && !task.controller) this.schedule(task);
  }

  /** Pauses one file (by key) or all; confirmed parts are kept and `resume` continues from them. */
  pause(key?: string): void {
    for (const task of this.matching(key)) {
      if (task.settled) continue;
      task.state = 'paused';
      task.controller?.abort();
      this.emit('state', { key: task.key, state: 'paused' });
      this.reporter.report(task, true);
    }
    this.checkDone();
  }

  /** Resumes one paused file (by key) or all. */
  resume(key?: string): void {
    for (const task of this.matching(key)) if (task.state === 'paused') this.schedule(task);
  }

  /** Retries one failed file (by key) or all. */
  retry(key?: string): void {
    for (const task of this.matching(key)) {
      if (task.state !== 'failed') continue;
      task.error = undefined;
      this.schedule(task);
    }
  }

  /** Cancels one file (by key) or all that are not stored yet, aborting their uploads on the server too. */
  async cancel(key?: string): Promise<void> {
    const cancelled = this.matching(key).filter((task) => task.state !== 'done' && task.state !== 'cancelled');
    for (const task of cancelled) {
      task.state = 'cancelled';
      task.controller?.abort();
      this.emit('state', { key: task.key, state: 'cancelled' });
    }
    this.checkDone();
    await Promise.all(cancelled.map(async (task) => {
      await this.context.store?.remove(task.fingerprint).catch(() => undefined);
      if (!task.uploadId) return;
      try {
        await this.context.api.abortUpload(task.uploadId, task.key);
      } catch (error) {
        this.context.log(`${task.key}: could not abort upload ${task.uploadId} on the server (${(error as Error).message})`);
      }
    }));
  }

  /** Resolves when no file is queued or running. */
  async whenIdle(): Promise<void> {
    await this.objectQueue.onIdle();
  }

  /** Removes finished, failed and cancelled files from `items`. */
  clearSettled(): void {
    for (let i = this.tasks.length - 1; i >= 0; i--) {
      const state = this.tasks[i]!.state;
      if (state === 'done' || state === 'failed' || state === 'cancelled') this.tasks.splice(i, 1);
    }
  }

  private refusal(destination: string, name: string, size: number, acceptedSoFar: number): string | undefined {
    if (destination && !destination.endsWith('/') && acceptedSoFar > 0) {
      return `The destination "${destination}" is a single key; give a prefix ending in / to upload several files.`;
    }
    if (size > MAX_OBJECT_SIZE) return 'The file is larger than the 5 TiB an S3 object may hold.';
    const key = keyFor(destination, name);
    const problem = keyProblem(key);
    if (problem) return `It cannot be stored as "${key}": ${problem}.`;
    if (this.tasks.some((t) => t.key === key && t.state !== 'done' && t.state !== 'cancelled' && t.state !== 'failed')) {
      return `"${key}" is already in the queue.`;
    }
    return undefined;
  }

  private matching(key: string | undefined): UploadTask[] {
    return key === undefined ? [...this.tasks] : this.tasks.filter((t) => t.key === key || t.id === key);
  }

  private schedule(task: UploadTask): void {
    task.state = 'queued';
    this.busy = true;
    this.emit('state', { key: task.key, state: 'queued' });
    void this.objectQueue.add(() => this.run(task));
  }

  private async run(task: UploadTask): Promise<void> {
    // A paused or cancelled attempt may still be winding down (aborting its requests); never run two at once.
    await task.attempt;
    if (task.state !== 'queued' || task.controller) return;
    task.attempt = this.attempt(task);
    await task.attempt;
  }

  private async attempt(task: UploadTask): Promise<void> {
    const controller = new AbortController();
    task.controller = controller;
    try {
      task.result = await uploadObject(task, this.context, controller.signal);
      task.state = 'done';
      this.emit('state', { key: task.key, state: 'done' });
      this.reporter.report(task, true);
      this.emit('complete', task.result);
    } catch (error) {
      if (controller.signal.aborted || error instanceof AbortedError) return;
      task.state = 'failed';
      task.error = error instanceof UploadError ? error : new UploadError('hash_failed', `Unexpected failure: ${String(error)}`, { cause: error });
      this.emit('state', { key: task.key, state: 'failed' });
      this.reporter.report(task, true);
      this.emit('error', { key: task.key, name: task.name, code: task.error.code, message: task.error.message, retryable: task.error.retryable, error: task.error });
    } finally {
      task.controller = undefined;
      task.inFlight.clear();
      this.checkDone();
    }
  }

  private checkDone(): void {
    const active = this.tasks.some((t) => !t.settled);
    if (this.busy && !active) {
      this.busy = false;
      this.emit('done', { batch: this.reporter.batch() });
    }
  }
}

function describeSource(source: UploadSource): { file: Blob; name: string } {
  if (source instanceof File) {
    return { file: source, name: source.webkitRelativePath || source.name };
  }
  return { file: source.file, name: source.relativePath || source.name };
}
