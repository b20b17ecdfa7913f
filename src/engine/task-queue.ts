/**
 * Runs async tasks at most `concurrency` at a time (p-limit), with what the engine needs besides: a task given an
 * AbortSignal that aborts while it waits never starts; `onIdle()` says when every task has settled; a `next` event
 * after each task settles and an `idle` event when none is left. (p-queue did this too, but its priorities,
 * intervals and timeouts cost about 3 kB gzipped that the engine never used.)
 */
import pLimit, { type LimitFunction } from 'p-limit';

/** Options of a {@link TaskQueue}. */
export interface TaskQueueOptions {
  /** Tasks running at once (at least 1). */
  readonly concurrency: number;
}

/** A concurrency-limited queue of async tasks; an EventTarget of `next` and `idle` (plain Events). */
export class TaskQueue extends EventTarget {
  private readonly limit: LimitFunction;
  private unsettled = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(options: TaskQueueOptions) {
    super();
    this.limit = pLimit(Math.max(1, options.concurrency));
  }

  /** Tasks running at once, at most. */
  get concurrency(): number {
    return this.limit.concurrency;
  }

  /** Tasks waiting for a slot. */
  get size(): number {
    return this.limit.pendingCount;
  }

  /** Tasks running. */
  get pending(): number {
    return this.limit.activeCount;
  }

  /**
   * Queues `task`; resolves or rejects as it does. If `signal` aborts before the task got a slot, the task never runs
   * and the promise rejects with the signal's reason.
   */
  add<T>(task: () => Promise<T> | T, options: { signal?: AbortSignal | undefined } = {}): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.unsettled++;
    let abandon: ((reason: unknown) => void) | undefined;
    const aborted = new Promise<never>((_, reject) => { abandon = reject; });
    const onAbort = () => abandon?.(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const run = this.limit(async () => {
      // Aborted while waiting: give the slot straight back.
      if (signal?.aborted) throw signal.reason;
      abandon = undefined;
      signal?.removeEventListener('abort', onAbort);
      return task();
    });
    const result = signal ? Promise.race([run, aborted]) : run;
    run.catch(() => undefined);
    aborted.catch(() => undefined);
    void run.then(this.settle, this.settle);
    return result;
  }

  /** Resolves once no task is waiting or running (at once when none are). */
  onIdle(): Promise<void> {
    if (this.unsettled === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private readonly settle = () => {
    this.unsettled--;
    this.dispatchEvent(new Event('next'));
    if (this.unsettled > 0) return;
    this.dispatchEvent(new Event('idle'));
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  };
}
