/**
 * Retrying a step with exponential backoff and full jitter.
 */
import { AbortedError, UploadError } from './upload-error.ts';

/** Options of {@link withRetries}. */
export interface RetryOptions {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** First delay in ms (doubled each retry, then jittered). Default 500. */
  readonly baseDelayMs?: number;
  /** Longest delay in ms. Default 20,000. */
  readonly maxDelayMs?: number;
  /** Called before each wait, e.g. to show "retrying". */
  readonly onRetry?: (error: UploadError, attempt: number, delayMs: number) => void;
}

/** Runs `step` until it succeeds, fails with a non-retryable error, or runs out of retries. */
export async function withRetries<T>(step: (attempt: number) => Promise<T>, signal: AbortSignal, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step(attempt);
    } catch (error) {
      if (!(error instanceof UploadError) || !error.retryable || attempt >= options.maxRetries || signal.aborted) throw error;
      const ceiling = Math.min(options.maxDelayMs ?? 20_000, (options.baseDelayMs ?? 500) * 2 ** attempt);
      const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
      options.onRetry?.(error, attempt + 1, delay);
      await sleep(delay, signal);
    }
  }
}

/** Waits `ms`, or rejects with {@link AbortedError} as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AbortedError());
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(new AbortedError()); };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
