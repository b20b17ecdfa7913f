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

/** A 500 may be a bug that will not go away: it is retried at most this many times (502, 503, 504 up to maxRetries). */
export const MAX_RETRIES_AFTER_500 = 2;

/**
 * Runs `step` until it succeeds, fails with a non-retryable error, or runs out of retries. Waits grow exponentially
 * with jitter up to a cap; a Retry-After the server sent is honoured when it asks for longer.
 */
export async function withRetries<T>(step: (attempt: number) => Promise<T>, signal: AbortSignal, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step(attempt);
    } catch (error) {
      if (!(error instanceof UploadError) || !error.retryable || signal.aborted) throw error;
      const limit = error.status === 500 ? Math.min(options.maxRetries, MAX_RETRIES_AFTER_500) : options.maxRetries;
      if (attempt >= limit) throw error;
      const ceiling = Math.min(options.maxDelayMs ?? 20_000, (options.baseDelayMs ?? 500) * 2 ** attempt);
      const jittered = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
      const delay = Math.max(jittered, Math.min(error.retryAfterMs ?? 0, 5 * 60_000));
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
