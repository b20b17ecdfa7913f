/**
 * The engine assembled with the browser's ports: hashing in Web Workers (hash-wasm), parts sent by XMLHttpRequest
 * (for upload progress), resume records in IndexedDB, and the window's online/offline events. The same engine runs
 * in Node with Node's ports (src/node/).
 */
import { UploadEngine, type UploadEngineOptions } from '../engine/upload-engine.ts';
import { XhrPartTransport } from './xhr-transport.ts';
import { HashPool } from '../worker/hash-pool.ts';
import { IdbResumeStore } from './idb-resume-store.ts';
import { windowConnectivity } from './window-connectivity.ts';

/**
 * An {@link UploadEngine} with the browser's ports as defaults: a {@link HashPool} of Web Workers (one less than the
 * cores, 1 to 4), an {@link XhrPartTransport}, an {@link IdbResumeStore} (`store: null` keeps no resume records) and
 * the window's online/offline events. The pool it starts is warmed up when the page is idle after the engine is made
 * (workers started, their WebAssembly loaded): a page makes its engine long before a file is added, and the first
 * part of the first file is then hashed at once instead of after the workers start.
 */
export class BrowserUploadEngine extends UploadEngine {
  private readonly ownWorkers: HashPool | undefined;

  /** @param options see {@link UploadEngineOptions}; every port has a browser default */
  constructor(options: UploadEngineOptions) {
    const workers = options.hasher ? undefined : new HashPool();
    super({
      ...options,
      hasher: options.hasher ?? workers!,
      transport: options.transport ?? new XhrPartTransport(),
      store: options.store === undefined ? new IdbResumeStore() : options.store,
      connectivity: options.connectivity ?? windowConnectivity,
    });
    this.ownWorkers = workers;
    if (workers) whenIdle(() => void workers.warmUp());
  }

  /** Also stops the hash workers this engine started. */
  override dispose(): void {
    super.dispose();
    this.ownWorkers?.terminate();
  }
}

/** Runs `work` when the page is idle (within a second), or at the next turn where idle callbacks do not exist. */
function whenIdle(work: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: 1000 });
  else setTimeout(work, 0);
}
