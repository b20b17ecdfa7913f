/**
 * The upload engine: objects uploaded to S3-compatible storage through an {@link UploadApi} — small ones by one PUT,
 * large ones in parts — with every PUT of every object sharing one queue. Plain TypeScript with its ports injected;
 * the element is only a shell around it.
 */
import { TaskQueue } from './task-queue.ts';
import type { CompletedUpload, ConfirmObjectRequest, SignObjectRequest, SignedObjectUrl, UploadApi } from '../protocol/upload-api.ts';
import type { ObjectPage, RecordsApi, Submission, SubmissionSummary } from '../protocol/records-api.ts';
import { Batcher } from './batcher.ts';
import type { UploadBody } from './body-source.ts';
import { keyFor } from './key-rules.ts';
import { SIGN_BATCH } from './batcher.ts';
import { DEFAULT_PART_SIZE } from './part-plan.ts';
import { ProgressReporter } from './progress-reporter.ts';
import { StateIndex, type StateTally } from './state-index.ts';
import { TypedEventTarget } from './typed-event-target.ts';
import { attemptUpload, cleanUpCancelled } from './task-attempt.ts';
import { OfflinePause } from './offline-pause.ts';
import { ResumeRecords } from './resume-records.ts';
import { createTask, describeSource, type UploadSource } from './task-intake.ts';
import type { UploadContext } from './upload-context.ts';
import { AbortedError } from './upload-error.ts';
import type { CompleteDetail, ErrorDetail, ResumableUpload, UploadEngineEventMap, UploadState } from './upload-events.ts';
import { UploadTask, type UploadItem } from './upload-task.ts';
import type { AddOptions, PutEntry, PutObjectsResult, PutOptions, UploadEngineOptions } from './engine-options.ts';

export type { UploadSource };
export type { UploadEngineOptions, AddOptions, PutOptions, PutEntry, PutObjectsResult } from './engine-options.ts';

/**
 * Uploads objects to S3-compatible storage through an {@link UploadApi}.
 *
 * Events (see UploadEngineEventMap): `added`, `rejected`, `state`, `progress`, `complete`, `error`, `done`.
 */
export class UploadEngine extends TypedEventTarget<UploadEngineEventMap> {
  private readonly tasks: UploadTask[] = [];
  /** The tasks by state, kept as they change, so counts and a few rows cost O(1) however many files there are. */
  private readonly index = new StateIndex();
  private readonly largeQueue: TaskQueue;
  private readonly smallQueue: TaskQueue;
  private readonly context: UploadContext;
  private readonly reporter: ProgressReporter;
  private readonly partSize: number;
  private readonly category: string;
  private readonly destination: string;
  private readonly autoStart: boolean;
  private readonly intakeLimit: number;
  private readonly resumeMaxAgeMs: number;
  private busy = false;
  /**
   * Attempts that have not announced their outcome yet. A task is `done` as soon as its upload resolves, but its
   * `complete` event follows a step later: when one confirm call finishes many small objects, every one of them is
   * `done` before the first announces itself, and `done` must wait for the last announcement.
   */
  private unannounced = 0;
  /** Objects paused because the browser went offline; resumed when it is back. */
  private readonly offline = new OfflinePause({
    running: () => this.tasks.filter((t) => !t.settled),
    pause: (task) => this.pause(task.id),
    schedule: (task) => this.schedule(task),
    log: (message) => this.context.log(message),
  });
  private resumeRecordsOnce: ResumeRecords | undefined;
  /** Stops listening to the connectivity port. */
  private stopWatching: (() => void) | undefined;

  /** @param options see {@link UploadEngineOptions} */
  constructor(options: UploadEngineOptions) {
    super();
    const partConcurrency = Math.max(1, options.partConcurrency ?? 6);
    const objectConcurrency = Math.max(1, options.objectConcurrency ?? 3);
    this.partSize = options.partSize ?? DEFAULT_PART_SIZE;
    this.category = options.category ?? '';
    this.destination = options.destination ?? '';
    this.autoStart = options.autoStart ?? true;
    this.largeQueue = new TaskQueue({ concurrency: objectConcurrency });
    // Small objects hash, wait for a URL and wait for their confirmation while others are being sent: many are open
    // at once (they hold only a Blob reference and a few strings) so that signing and confirming go in full batches.
    const smallObjects = Math.max(1, options.smallObjectConcurrency ?? 1024);
    this.smallQueue = new TaskQueue({ concurrency: smallObjects });
    this.intakeLimit = smallObjects + objectConcurrency * 2;
    this.resumeMaxAgeMs = (options.resumeMaxAgeDays ?? 7) * 24 * 3600 * 1000;
    this.reporter = new ProgressReporter(() => this.tasks, (detail) => this.emit('progress', detail), options.progressIntervalMs ?? 200);
    const api = options.api;
    if (!options.hasher || !options.transport) {
      throw new TypeError('UploadEngine needs its ports, a hasher and a transport: give them, or use BrowserUploadEngine or NodeUploadEngine.');
    }
    const partQueue = new TaskQueue({ concurrency: partConcurrency });
    // Batched single objects are an optional capability of a protocol: without them no object goes this way (see
    // object-upload.ts), and these batchers are never called.
    // Objects still on their way to a signing or confirming call (O(1): counts kept per state). When hashing is slower
    // than the PUTs (a busy machine, a slow disk), the PUT queue runs dry after every object: calls made at each of
    // those moments would carry one or two objects each. Holding them for company then costs no throughput, since
    // hashing is the bottleneck and goes on meanwhile.
    const anyIn = (states: readonly UploadState[]) => states.some((state) => this.index.count(state) > 0);
    // Confirming is not urgent while other objects are being sent: a call goes when 50 wait or the oldest has waited a
    // second (two calls may be out at once), and at once when no object is left before its confirm. (The PUT queue's
    // `idle` comes while the last object is still `uploading`, a moment before it asks to be confirmed: on that event
    // alone the last batch waited out its second, a tenth of a 2,000-file run.)
    const confirmer = new Batcher<ConfirmObjectRequest, CompletedUpload>((objects) => api.confirmObjects!(objects), {
      minBatch: 50, maxWaitMs: 1000, concurrency: 2,
      needed: () => !anyIn(['queued', 'hashing', 'uploading', 'retrying']),
    });
    // The same rule, looked at again when the PUT queue empties (its `needed` is the one place it is written).
    partQueue.addEventListener('idle', () => confirmer.poke());
    // Small objects are signed one call at a time: at once when the PUT queue (which holds only signed objects) is
    // about to run dry and eight wait (or no more are coming), else when 100 wait or the oldest has waited 250 ms.
    // Objects hashed while a call is out go together in the next, so a folder of small files costs a few signing
    // calls of up to 100 objects rather than one per round trip.
    const signer = new Batcher<SignObjectRequest, SignedObjectUrl>((objects) => api.signObjects!(objects), {
      holdMs: 250,
      // (Objects waiting here are `uploading`; those still to come are being hashed, queued or retrying.)
      needed: (waiting) => partQueue.size + partQueue.pending < partConcurrency * 2
        && (waiting >= SIGN_BATCH || !anyIn(['queued', 'hashing', 'retrying'])),
    });
    partQueue.addEventListener('next', () => signer.poke());
    this.context = {
      api,
      hasher: options.hasher,
      transport: options.transport,
      store: options.store ?? undefined,
      partQueue,
      objectSigner: signer,
      objectConfirmer: confirmer,
      endpoint: options.endpoint ?? '',
      maxRetries: Math.max(0, options.maxRetries ?? 5),
      takeOver: options.takeOver ?? false,
      partWindow: partConcurrency + Math.min(2, Math.max(1, options.hashPipelineDepth ?? 16)),
      hashAhead: Math.max(SIGN_BATCH, options.hashPipelineDepth ?? 16),
      formMaxBytes: Math.max(0, options.formMaxBytes ?? 1024 * 1024),
      onProgress: (task) => this.reporter.report(task),
      onState: (task) => this.emit('state', { key: task.key, state: task.state }),
      onRetrying: (task, delayMs) => this.retrying(task, delayMs),
      log: options.log ?? (() => undefined),
    };
    if (options.pauseWhenOffline ?? true) {
      this.stopWatching = options.connectivity?.subscribe((online) => (online ? this.offline.cameOnline() : this.offline.wentOffline()));
    }
  }

  /**
   * Uploads left unfinished on this endpoint (after a reload, a crash, a closed tab), newest first, without those this
   * engine is working on. Adding the same file again resumes one. Expired records are dropped first (see
   * {@link expireStale}).
   */
  async listResumable(): Promise<ResumableUpload[]> {
    return this.resumeRecords.list(new Set(this.tasks.filter((t) => t.state !== 'done' && t.state !== 'cancelled').map((t) => t.fingerprint)));
  }

  /**
   * Resumes an unfinished upload from the file handle kept in its record (File System Access), without a new pick.
   * Call it from a click: the browser may ask the user to allow reading the file again. When the file changed since,
   * the old upload is dropped (and aborted on the server) and the file starts over. Returns the object now queued,
   * or throws an Error saying why it cannot.
   */
  async resumeFromHandle(fingerprint: string): Promise<UploadItem> {
    return (await import('./resume-record-actions.ts')).resumeFromHandle(this.context, fingerprint, (source, destination) => this.add([source], { destination })[0]);
  }

  /** Drops one resume record (by fingerprint) and aborts its upload on the server: the parts sent so far are freed. */
  async discardResumable(fingerprint: string): Promise<void> {
    // Discarding and resuming from a handle happen on a click: resume-record-actions.ts is loaded then.
    return (await import('./resume-record-actions.ts')).discardRecord(this.context, fingerprint);
  }

  /**
   * Drops resume records of this endpoint not touched for `resumeMaxAgeDays`, aborting their uploads on the server so
   * their parts stop costing storage. Returns how many were dropped.
   */
  expireStale(now = Date.now()): Promise<number> {
    return this.resumeRecords.expireStale(now);
  }

  /** The resume records of this engine's endpoint (made on first use). */
  private get resumeRecords(): ResumeRecords {
    this.resumeRecordsOnce ??= new ResumeRecords(this.context, this.resumeMaxAgeMs);
    return this.resumeRecordsOnce;
  }

  /** The latest submission of each key under `prefix`, newest first, a page at a time (the SDK's list_objects). */
  async listObjects(options: { prefix?: string; cursor?: string; limit?: number } = {}): Promise<ObjectPage> {
    return (await this.records()).listObjects(options);
  }

  /** Every submission under `prefix`, page after page, as an async iterable. */
  async *allObjects(prefix?: string): AsyncGenerator<Submission> {
    yield* (await import('./program-calls.ts')).allObjects((options) => this.listObjects(options), prefix);
  }

  /** Every submission of `key`, newest first (the SDK's get_object_history). */
  async getObjectHistory(key: string): Promise<Submission[]> {
    return (await this.records()).getObjectHistory(key);
  }

  /** Counts by status under `prefix`, received within the dates given (the SDK's get_summary). */
  async getSummary(options: { prefix?: string; submittedAfter?: string; submittedBefore?: string } = {}): Promise<SubmissionSummary> {
    return (await this.records()).getSummary(options);
  }

  /**
   * The records side of this engine's api (RecordsApi is an optional capability), or a clear error when it has none.
   * Only programs use the records and putObjects (never the element): program-calls.ts is loaded on first use.
   */
  private async records(): Promise<RecordsApi> {
    return (await import('./program-calls.ts')).recordsOf(this.context.api);
  }

  /** Stops listening to the connectivity port (the assembled engines also stop the hash workers they started); the engine is not to be used afterwards. */
  dispose(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
  }

  /** Every object the engine knows, in the order added. Costs a snapshot per object: for many, see {@link itemsIn}. */
  get items(): UploadItem[] {
    return this.tasks.map((task) => task.snapshot());
  }

  /** How many objects are in each state, and their bytes; kept up to date as states change, so reading it is cheap. */
  tally(): StateTally {
    return this.index.tally();
  }

  /**
   * Up to `limit` objects in any of `states`: the first to enter them (`from: 'first'`) or the latest (`'last'`), in
   * the order they were added. Costs O(limit), not O(objects): what an element shows of a list of thousands.
   */
  itemsIn(states: readonly UploadState[], limit: number, from: 'first' | 'last' = 'first'): UploadItem[] {
    return this.index.pick(states, limit, from).map((task) => task.snapshot());
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
      const { file, name, lastModified, handle } = describeSource(source);
      if (destination && !destination.endsWith('/') && accepted.length > 0) {
        rejected.push({ name, size: file.size, reason: `The destination "${destination}" is a single key; give a prefix ending in / to upload several files.` });
        continue;
      }
      const created = this.createTask(file, keyFor(destination, name), { category, name }, lastModified);
      if (typeof created === 'string') rejected.push({ name, size: file.size, reason: created });
      else {
        created.handle = handle;
        accepted.push(created);
      }
    }
    if (rejected.length) this.emit('rejected', { files: rejected });
    if (accepted.length) {
      this.emit('added', { files: accepted.map((t) => ({ key: t.key, name: t.name, size: t.size })) });
      if (this.autoStart) for (const task of accepted) this.schedule(task);
    }
    return accepted.map((t) => t.snapshot());
  }

  /**
   * Uploads one object — a Blob or File, an ArrayBuffer or typed array, a ReadableStream or an async iterable of
   * Uint8Array chunks (streams may be of unknown length) — and resolves with what the storage holds. Rejects with the
   * UploadError (or a TypeError / RangeError for a body or key that cannot be uploaded).
   */
  putObject(body: UploadBody, key: string, options: PutOptions = {}): Promise<CompleteDetail> {
    const task = this.createTask(body, key, options, options.lastModified);
    if (typeof task === 'string') return Promise.reject(new RangeError(task));
    this.emit('added', { files: [{ key: task.key, name: task.name, size: task.size }] });
    this.schedule(task);
    return task.outcome;
  }

  /**
   * Uploads many objects, taking entries from `entries` only as fast as they can be started, so a listing of 100,000
   * files is never planned all at once. Resolves when every entry has settled.
   */
  async putObjects(entries: Iterable<PutEntry> | AsyncIterable<PutEntry>, options: PutOptions = {}): Promise<PutObjectsResult> {
    const { putObjects } = await import('./program-calls.ts');
    return putObjects((body, key, opts) => this.putObject(body, key, opts), this.intakeLimit, entries, options);
  }

  /** Starts every queued object that has not started (for `autoStart: false`). */
  start(): void {
    for (const task of this.tasks) if (task.state === 'queued' && !task.controller) this.schedule(task);
  }

  /** Pauses one object (by key or id) or all; confirmed parts are kept and `resume` continues from them. */
  pause(key?: string): void {
    for (const task of this.matching(key)) {
      if (task.settled) continue;
      task.moveTo('paused');
      task.controller?.abort();
      this.emit('state', { key: task.key, state: 'paused' });
      this.reporter.report(task, true);
    }
    this.checkDone();
  }

  /** Resumes one paused object (by key or id) or all. */
  resume(key?: string): void {
    for (const task of this.matching(key)) {
      this.offline.forget(task);
      if (task.state === 'paused') this.schedule(task);
    }
  }

  /** Shows `task` as retrying until its next attempt is due, then as it was. */
  private retrying(task: UploadTask, delayMs: number): void {
    if (task.settled) return;
    const previous = task.state === 'retrying' ? 'uploading' : task.state;
    task.moveTo('retrying');
    task.retryAt = Date.now() + delayMs;
    this.emit('state', { key: task.key, state: 'retrying', retryAt: task.retryAt });
    setTimeout(() => {
      if (task.state !== 'retrying') return;
      task.moveTo(previous);
      task.retryAt = undefined;
      this.emit('state', { key: task.key, state: previous });
    }, delayMs);
  }

  /** Retries one failed object (by key or id) or all. */
  retry(key?: string): void {
    for (const task of this.matching(key)) {
      if (task.state !== 'failed') continue;
      task.error = undefined;
      this.schedule(task);
    }
  }

  /** Cancels one object (by key or id) or all that are not stored yet, aborting their uploads on the server too. */
  async cancel(key?: string): Promise<void> {
    const cancelled = this.matching(key).filter((task) => task.state !== 'done' && task.state !== 'cancelled');
    for (const task of cancelled) {
      task.moveTo('cancelled');
      task.controller?.abort();
      this.emit('state', { key: task.key, state: 'cancelled' });
      task.settle(new AbortedError());
    }
    this.checkDone();
    await Promise.all(cancelled.map((task) => cleanUpCancelled(task, this.context)));
  }

  /** Resolves when no object is queued or running. */
  async whenIdle(): Promise<void> {
    await Promise.all([this.largeQueue.onIdle(), this.smallQueue.onIdle()]);
  }

  /** Removes one object (by key or id) or all from `items`, cancelling first what is not stored yet. */
  async remove(key?: string): Promise<void> {
    await this.cancel(key);
    const gone = new Set(this.matching(key));
    for (let i = this.tasks.length - 1; i >= 0; i--) {
      if (gone.has(this.tasks[i]!)) this.index.delete(this.tasks.splice(i, 1)[0]!);
    }
    this.emit('done', { batch: this.reporter.batch(Date.now(), 'exact') });
  }

  /** Removes finished, failed and cancelled objects from `items`. */
  clearSettled(): void {
    for (let i = this.tasks.length - 1; i >= 0; i--) {
      const state = this.tasks[i]!.state;
      if (state === 'done' || state === 'failed' || state === 'cancelled') this.index.delete(this.tasks.splice(i, 1)[0]!);
    }
  }

  /** Creates and registers a task, or returns why the object cannot be uploaded. */
  private createTask(body: UploadBody, key: string, options: PutOptions, lastModified?: number): UploadTask | string {
    const task = createTask({ ...options, body, key, category: options.category ?? this.category, lastModified },
      // Looked up in the index: a scan per file would make adding n files cost n^2.
      { holdsKey: (k) => this.index.holdsKey(k), partSize: this.partSize, endpoint: this.context.endpoint });
    if (typeof task === 'string') return task;
    this.tasks.push(task);
    this.index.add(task);
    task.onStateChange = (changed) => this.index.moved(changed);
    return task;
  }

  private matching(key: string | undefined): UploadTask[] {
    return key === undefined ? [...this.tasks] : this.tasks.filter((t) => t.key === key || t.id === key);
  }

  private schedule(task: UploadTask): void {
    task.moveTo('queued');
    this.busy = true;
    this.emit('state', { key: task.key, state: 'queued' });
    void (task.small ? this.smallQueue : this.largeQueue).add(() => this.run(task));
  }

  private async run(task: UploadTask): Promise<void> {
    // A paused or cancelled attempt may still be winding down (aborting its requests); never run two at once.
    await task.attempt;
    if (task.state !== 'queued' || task.controller) return;
    task.attempt = this.attempt(task);
    await task.attempt;
  }

  /** Runs one attempt and announces how it ended. */
  private async attempt(task: UploadTask): Promise<void> {
    this.unannounced++;
    let outcome: Awaited<ReturnType<typeof attemptUpload>>;
    try {
      outcome = await attemptUpload(task, this.context);
    } finally {
      this.unannounced--;
    }
    if (outcome.ok === true) {
      this.emit('state', { key: task.key, state: 'done' });
      this.reporter.report(task, true);
      this.emit('complete', task.result!);
      task.settle(task.result!);
    } else if (outcome.ok === false) {
      const error = outcome.error;
      this.emit('state', { key: task.key, state: 'failed' });
      this.reporter.report(task, true);
      const detail: ErrorDetail = { key: task.key, name: task.name, code: error.code, message: error.message, retryable: error.retryable, error };
      this.emit('error', detail);
      task.settle(error);
    }
    this.checkDone();
  }

  private checkDone(): void {
    const active = (['queued', 'hashing', 'uploading', 'retrying', 'completing'] as const).some((state) => this.index.count(state) > 0);
    if (this.busy && !active && this.unannounced === 0) {
      this.busy = false;
      this.emit('done', { batch: this.reporter.batch(Date.now(), 'exact') });
    }
  }
}
