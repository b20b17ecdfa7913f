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
 * the window's online/offline events.
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
  }

  /** Also stops the hash workers this engine started. */
  override dispose(): void {
    super.dispose();
    this.ownWorkers?.terminate();
  }
}
