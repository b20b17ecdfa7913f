/**
 * A counting semaphore whose waits end early when an AbortSignal aborts.
 */
import { AbortedError } from './upload-error.ts';

/** `size` slots; `acquire` waits for a free one, `release` frees one. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  /** @param size how many holders at once */
  constructor(size: number) {
    this.free = size;
  }

  /** Takes a slot, waiting for one if none is free; rejects with AbortedError when `signal` aborts first. */
  acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(new AbortedError());
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => { signal.removeEventListener('abort', onAbort); resolve(); };
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new AbortedError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  /** Frees a slot, handing it to the longest waiter if there is one. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
