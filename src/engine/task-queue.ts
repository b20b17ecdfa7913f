/**
 * Runs async tasks at most `concurrency` at a time, in the order they were added, with what the engine needs besides:
 * a task given an AbortSignal that aborts while it waits never starts; `onIdle()` says when every task has settled;
 * a `next` event after each task settles and an `idle` event when none is left.
 *
 * Written here rather than taken from p-queue or p-limit: the engine uses none of p-queue's priorities, intervals or
 * timeouts (3.6 kB gzipped), and p-limit with yocto-queue costs 0.9 kB for the twenty lines below; the engine's size
 * budget (12 kB gzipped, see scripts/size-budget.ts) cannot carry either.
 */

/** Options of a {@link TaskQueue}. */
export interface TaskQueueOptions {
  /** Tasks running at once (at least 1). */
  readonly concurrency: number;
}

/** A concurrency-limited FIFO queue of async tasks; an EventTarget of `next` and `idle` (plain Events). */
export class TaskQueue extends EventTarget {
  /** Tasks running at once, at most. */
  readonly concurrency: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(options: TaskQueueOptions) {
    super();
    this.concurrency = Math.max(1, options.concurrency);
  }

  /** Tasks waiting for a slot. */
  get size(): number {
    return this.waiting.length;
  }

  /** Tasks running. */
  get pending(): number {
    return this.running;
  }

  /**
   * Queues `task`; resolves or rejects as it does. If `signal` aborts before the task got a slot, the task never runs
   * and the promise rejects with the signal's reason.
   */
  add<T>(task: () => Promise<T> | T, options: { signal?: AbortSignal | undefined } = {}): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener('abort', onAbort);
        this.running++;
        // A task that throws synchronously rejects like one that rejects.
        void (async () => task())().then(resolve, reject).finally(this.settle);
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(start);
        if (at < 0) return;
        this.waiting.splice(at, 1);
        reject(signal!.reason);
        this.announce();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.running < this.concurrency) start();
      else this.waiting.push(start);
    });
  }

  /** Resolves once no task is waiting or running (at once when none are). */
  onIdle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** A task settled: start the next one waiting, and say so. */
  private readonly settle = () => {
    this.running--;
    this.waiting.shift()?.();
    this.announce();
  };

  private announce(): void {
    this.dispatchEvent(new Event('next'));
    if (this.running > 0 || this.waiting.length > 0) return;
    this.dispatchEvent(new Event('idle'));
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
