/**
 * The engine assembled with Node's ports: hashing in worker threads, parts sent by fetch(), resume records in the
 * user's cache folder. The same engine the browser runs; only its defaults differ.
 */
import { UploadEngine, type UploadEngineOptions } from '../engine/upload-engine.ts';
import { FetchPartTransport } from './fetch-transport.ts';
import { FileResumeStore } from './file-resume-store.ts';
import { NodeHashPool } from './node-hash-pool.ts';

/** Options of {@link NodeUploadEngine}: those of UploadEngine, with Node's defaults for the ports. */
export interface NodeUploadEngineOptions extends UploadEngineOptions {
  /** Hash threads when no `hasher` is given. Default: one less than the cores, at least 1. */
  readonly hashThreads?: number;
}

/**
 * An {@link UploadEngine} with Node's ports as defaults: a {@link NodeHashPool}, a {@link FetchPartTransport} and a
 * {@link FileResumeStore}. Call `dispose()` when done: the hash threads otherwise keep Node running.
 */
export class NodeUploadEngine extends UploadEngine {
  private readonly ownThreads: NodeHashPool | undefined;

  /** @param options see {@link NodeUploadEngineOptions} */
  constructor(options: NodeUploadEngineOptions) {
    const threads = options.hasher ? undefined : new NodeHashPool({ ...(options.hashThreads ? { size: options.hashThreads } : {}) });
    super({
      pauseWhenOffline: false,
      ...options,
      hasher: options.hasher ?? threads!,
      transport: options.transport ?? new FetchPartTransport(),
      store: options.store === undefined ? new FileResumeStore() : options.store,
    });
    this.ownThreads = threads;
  }

  /** Stops the hash threads this engine started. */
  override dispose(): void {
    super.dispose();
    this.ownThreads?.terminate();
  }
}
