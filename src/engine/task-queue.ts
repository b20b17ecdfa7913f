/**
 * Runs async tasks at most `concurrency` at a time (p-limit), with the two things the engine needs besides: a task
 * given an AbortSignal that aborts while it waits never starts, and `onIdle()` says when every task has settled.
 * (p-queue did this too, but its priorities, events and timeouts cost 3.6 kB gzipped that the engine never used.)
 */
import pLimit, { type LimitFunction } from 'p-limit';

/** Options of a {@link TaskQueue}. */
export interface TaskQueueOptions {
  /** Tasks running at once (at least 1). */
  readonly concurrency: number;
}

/** A concurrency-limited queue of async tasks. */
export class TaskQueue {
  private readonly limit: LimitFunction;
  private unsettled = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(options: TaskQueueOptions) {
    this.limit = pLimit(Math.max(1, options.concurrency));
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
    if (--this.unsettled > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  };
}
