/**
 * Batches calls to the server: items wait while a call is in flight and go together in the next one, so the batch
 * size grows with the call's round trip by itself (one item when the server is idle and fast, up to `maxBatch` when
 * it is busy). Options make a batcher wait for company (`minBatch`) or for a while (`holdMs`) before calling, for
 * calls that are not urgent: confirming small objects, signing the parts of a large file.
 */

type Waiting<I, O> = { item: I; resolve: (value: O) => void; reject: (error: unknown) => void; since: number };

/**
 * Fewest URLs asked for in one signing call while more are coming (the parts of a file; small objects while the PUT
 * queue runs dry). Each call is a round trip and costs the server a request; MD5s arrive one by one from the hash
 * workers, so without a floor every part would be signed alone. Hashing runs ahead of the PUTs in flight, so eight are
 * soon waiting.
 */
export const SIGN_BATCH = 8;

/** Options of {@link Batcher}; all have defaults. */
export interface BatcherOptions {
  /** Most items per call. Default 100. */
  readonly maxBatch?: number;
  /** Calls in flight at once; items wait while this many are. Default 1. */
  readonly concurrency?: number;
  /**
   * Fewest items worth a call: fewer wait (up to `maxWaitMs`) unless {@link Batcher.flush} or an urgent `add` sends
   * them. Default 1.
   */
  readonly minBatch?: number;
  /** How long an item may wait for company (`minBatch`, or simply more items) before it is sent anyway. Default 0. */
  readonly holdMs?: number;
  /** Longest any item waits when `minBatch` is not reached. Default 1000 ms. */
  readonly maxWaitMs?: number;
  /**
   * Asked before holding items back, with the number of items waiting: true when whoever consumes the answers is
   * running out of work (the PUT queue is nearly empty), so what waits goes now. Call {@link Batcher.poke} when that
   * may have changed. Default: never.
   */
  readonly needed?: (waiting: number) => boolean;
}

/** Collects items and runs them in batches; `run` answers in the order asked. */
export class Batcher<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private inFlight = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private urgent = false;
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private readonly holdMs: number;
  private readonly maxWaitMs: number;
  private readonly needed: (waiting: number) => boolean;
  /** Fewest items worth a call; the owner lowers it to 1 when no more items will come (the last parts of a file). */
  minBatch: number;

  /**
   * @param run handles one batch; must answer in the order asked
   * @param options see {@link BatcherOptions}
   */
  constructor(private readonly run: (items: I[]) => Promise<O[]>, options: BatcherOptions = {}) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 100);
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.minBatch = Math.max(1, options.minBatch ?? 1);
    this.holdMs = Math.max(0, options.holdMs ?? 0);
    this.maxWaitMs = Math.max(this.holdMs, options.maxWaitMs ?? 1000);
    this.needed = options.needed ?? (() => false);
  }

  /**
   * Adds `item` to the next batch; resolves with its answer, rejects when its batch fails. An `urgent` item (a retry,
   * a URL signed again) is sent as soon as a call may go, with whatever else waits.
   */
  add(item: I, urgent = false): Promise<O> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject, since: Date.now() });
      if (urgent) this.urgent = true;
      this.pump();
    });
  }

  /** Sends whatever waits as soon as a call may go, without waiting for company. */
  flush(): void {
    if (this.waiting.length === 0) return;
    this.urgent = true;
    this.pump();
  }

  /** Looks again at whether waiting items should go (see `needed`). */
  poke(): void {
    if (this.waiting.length > 0) this.pump();
  }

  /** Starts calls while the rules allow, and arms a timer for items held back. */
  private pump(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.waiting.length > 0 && this.inFlight < this.concurrency) {
      const oldest = Date.now() - this.waiting[0]!.since;
      const ready = this.urgent || this.waiting.length >= this.maxBatch || this.needed(this.waiting.length)
        || (this.waiting.length >= this.minBatch && oldest >= this.holdMs)
        || oldest >= this.maxWaitMs;
      if (!ready) {
        const wait = this.waiting.length >= this.minBatch ? this.holdMs - oldest : this.maxWaitMs - oldest;
        this.timer = setTimeout(() => this.pump(), Math.max(0, wait));
        return;
      }
      this.send(this.waiting.splice(0, this.maxBatch));
      if (this.waiting.length === 0) this.urgent = false;
    }
  }

  private send(batch: Waiting<I, O>[]): void {
    this.inFlight++;
    let run: Promise<O[]>;
    try {
      run = this.run(batch.map((w) => w.item));
    } catch (error) {
      run = Promise.reject(error);
    }
    run.then((answers) => {
      batch.forEach((w, i) => (i < answers.length ? w.resolve(answers[i]!) : w.reject(new Error('The server answered fewer items than asked'))));
    }, (error: unknown) => batch.forEach((w) => w.reject(error))).finally(() => {
      this.inFlight--;
      this.pump();
    });
  }
}
