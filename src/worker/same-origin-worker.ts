/**
 * `new Worker(url, { type: 'module' })` that also works when the script (the bundle) comes from another origin than
 * the page, as from a CDN: browsers refuse to start a worker from a cross-origin URL, so then the worker is started
 * from a same-origin `blob:` module that imports the real one (the CDN must answer with CORS headers, which module
 * scripts need anyway). Same-origin URLs are used as they are.
 *
 * hash-pool.ts imports this under the name `Worker`, so that the bundler still sees the literal
 * `new Worker(new URL('./hash.worker.ts', import.meta.url), …)` it builds the worker chunk from.
 */

/** Starts a module worker from `url`, through a `blob:` trampoline when `url` is cross-origin. */
export const SameOriginWorker = function SameOriginWorker(url: string | URL, options?: WorkerOptions): Worker {
  const target = new URL(url, globalThis.location?.href);
  if (typeof location === 'undefined' || target.origin === location.origin || options?.type !== 'module') {
    return new globalThis.Worker(target, options);
  }
  // Not revoked: the worker may fetch it after this returns; it is a few bytes per worker.
  const trampoline = URL.createObjectURL(new Blob([`import ${JSON.stringify(target.href)};`], { type: 'text/javascript' }));
  return new globalThis.Worker(trampoline, options);
} as unknown as typeof Worker;

/** The worker it starts: a plain `Worker`. */
export type SameOriginWorker = Worker;
