/**
 * A pool of hash workers. MD5s of parts go to the least busy worker, so several parts hash at once; each file's
 * SHA-256 lives in one worker (files are spread over the pool), fed in file order.
 */
import type { HashRequest, HashResponse, HashSuccess } from './hash-protocol.ts';
import { SameOriginWorker as Worker } from './same-origin-worker.ts';

/** How a part was hashed. */
export interface PartDigest {
  /** Base64 MD5, for the Content-MD5 header. */
  readonly md5: string;
  /** Number of bytes read. */
  readonly bytes: number;
}

/** Thrown when hashing fails; `unreadable` means the file's bytes could not be read. */
export class HashError extends Error {
  /** @param reason `unreadable` when the bytes could not be read, `failed` otherwise */
  constructor(readonly reason: 'unreadable' | 'failed', message: string) {
    super(message);
    this.name = 'HashError';
  }
}

/** The two results of hashing one part of a file: its MD5 (needed to send it) and its SHA-256 update (needed at the end). */
export interface HashedPart {
  /** The part's MD5. */
  readonly md5: Promise<PartDigest>;
  /** Settles when the part has been fed to the file's SHA-256; with `save`, resolves with the hasher state after it. */
  readonly sha256: Promise<Uint8Array | undefined>;
}

/** What the engine needs from hashing (the port the pool fills). */
export interface PartHasher {
  /**
   * Hashes the next part of `session`'s file: MD5, and the SHA-256 update. Calls for one session must be made in file
   * order. A pool of one worker does both in one pass over the bytes; a larger pool spreads MD5s over its workers.
   */
  hashPart(session: string, blob: Blob, save: boolean): HashedPart;
  /** MD5 of `blob`. */
  md5(blob: Blob): Promise<PartDigest>;
  /**
   * Feeds `blob` to the SHA-256 of `session`; calls for one session must be made in file order. With `save`, resolves
   * with the hasher's state after this part, which {@link PartHasher.sha256Restore} accepts.
   */
  sha256Update(session: string, blob: Blob, save: boolean): Promise<Uint8Array | undefined>;
  /** Starts `session` from a saved state. */
  sha256Restore(session: string, state: Uint8Array): Promise<void>;
  /** The SHA-256 (lowercase hex) of everything fed to `session`; ends it. */
  sha256Finish(session: string): Promise<string>;
  /** Ends `session` without a result. */
  discard(session: string): void;
}

type Pending = {
  resolve: (response: HashSuccess) => void;
  reject: (error: Error) => void;
  /** Receives the early answer to a `part` request (its MD5), before the final one. */
  early?: ((response: HashSuccess) => void) | undefined;
};

/** One worker and what it has been asked. */
class PooledWorker {
  readonly pending = new Map<number, Pending>();
  sessions = 0;
  private worker: Worker | undefined;

  constructor(private readonly create: () => Worker) {}

  /** Sends `request`; `early` receives the early answer of a `part` request, the promise the final answer. */
  send(request: HashRequest, early?: (response: HashSuccess) => void): Promise<HashSuccess> {
    const worker = this.ensure();
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject, early });
      worker.postMessage(request);
    });
  }

  terminate(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.failAll(new HashError('failed', 'The hash worker was stopped.'));
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = this.create();
    worker.onmessage = (event: MessageEvent<HashResponse>) => {
      const response = event.data;
      const pending = this.pending.get(response.id);
      if (!pending) return;
      if (response.ok && response.early) {
        pending.early?.(response);
        return;
      }
      this.pending.delete(response.id);
      if (response.ok) pending.resolve(response);
      else pending.reject(new HashError(response.reason, response.message));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.worker?.terminate();
      this.worker = undefined;
      this.failAll(new HashError('failed', `The hash worker failed: ${event.message || 'it could not be loaded'}.`));
    };
    this.worker = worker;
    return worker;
  }

  private failAll(error: HashError): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}

/** Options of {@link HashPool}. */
export interface HashPoolOptions {
  /** Number of workers. Default: one less than the machine's cores, 1 to 4. */
  readonly size?: number;
  /** Starts one worker. Default: `hash.worker.ts` beside this module, as a module worker. */
  readonly createWorker?: () => Worker;
}

/** The default pool size for this machine: one less than its cores, at least 1, at most 4. */
export function defaultPoolSize(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.min(4, Math.max(1, cores - 1));
}

/** A {@link PartHasher} over a pool of hash-wasm Web Workers, started on first use. */
export class HashPool implements PartHasher {
  private readonly workers: PooledWorker[];
  private readonly sessions = new Map<string, PooledWorker>();
  private nextId = 1;
  private warming: Promise<void> | undefined;
  private stopped = false;

  /** @param options see {@link HashPoolOptions} */
  constructor(options: HashPoolOptions = {}) {
    const create = options.createWorker ?? (() => new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module' }));
    this.workers = Array.from({ length: Math.max(1, options.size ?? defaultPoolSize()) }, () => new PooledWorker(create));
  }

  /** Number of workers. */
  get size(): number {
    return this.workers.length;
  }

  /** {@inheritDoc PartHasher.hashPart} */
  hashPart(session: string, blob: Blob, save: boolean): HashedPart {
    const owner = this.sessionWorker(session);
    if (this.workers.length === 1) {
      // One read and one request for both hashes; the MD5 settles on the worker's early answer, so the part's PUT
      // can leave while the worker still feeds the part to the SHA-256.
      let early!: (response: HashSuccess) => void;
      const earlyAnswer = new Promise<HashSuccess>((resolve) => { early = resolve; });
      const both = owner.send({ id: this.nextId++, op: 'part', session, blob, save }, early);
      // A request that fails before its MD5 is known has no early answer: its failure then fails the MD5 too.
      const md5 = Promise.race([earlyAnswer, both]).then((r) => ({ md5: r.md5 ?? '', bytes: r.bytes ?? 0 }));
      return { md5, sha256: both.then((r) => r.state) };
    }
    return { md5: this.md5(blob), sha256: this.sha256Update(session, blob, save) };
  }

  /** {@inheritDoc PartHasher.md5} */
  async md5(blob: Blob): Promise<PartDigest> {
    const worker = this.workers.reduce((best, w) => (w.pending.size < best.pending.size ? w : best));
    const response = await worker.send({ id: this.nextId++, op: 'md5', blob });
    return { md5: response.md5 ?? '', bytes: response.bytes ?? 0 };
  }

  /** {@inheritDoc PartHasher.sha256Update} */
  async sha256Update(session: string, blob: Blob, save: boolean): Promise<Uint8Array | undefined> {
    return (await this.sessionWorker(session).send({ id: this.nextId++, op: 'sha-update', session, blob, save })).state;
  }

  /** {@inheritDoc PartHasher.sha256Restore} */
  async sha256Restore(session: string, state: Uint8Array): Promise<void> {
    await this.sessionWorker(session).send({ id: this.nextId++, op: 'sha-load', session, state });
  }

  /** {@inheritDoc PartHasher.sha256Finish} */
  async sha256Finish(session: string): Promise<string> {
    const worker = this.sessionWorker(session);
    try {
      return (await worker.send({ id: this.nextId++, op: 'sha-finish', session })).sha256 ?? '';
    } finally {
      this.release(session, worker);
    }
  }

  /** {@inheritDoc PartHasher.discard} */
  discard(session: string): void {
    const worker = this.sessions.get(session);
    if (!worker) return;
    this.release(session, worker);
    void worker.send({ id: this.nextId++, op: 'sha-discard', session }).catch(() => undefined);
  }

  /**
   * Starts every worker and loads its MD5 and SHA-256 (WebAssembly), so that the first file's first part is hashed at
   * once instead of after a worker start. Safe to call more than once; a failure here is left for the first real
   * request to report.
   */
  warmUp(): Promise<void> {
    // A pool stopped before the page was idle stays stopped.
    if (this.stopped) return Promise.resolve();
    this.warming ??= Promise.all(this.workers.map(async (worker) => {
      const empty = new Blob([]);
      const session = `warm-up-${this.nextId}`;
      await worker.send({ id: this.nextId++, op: 'md5', blob: empty });
      await worker.send({ id: this.nextId++, op: 'sha-update', session, blob: empty, save: false });
      await worker.send({ id: this.nextId++, op: 'sha-finish', session });
    })).then(() => undefined, () => undefined);
    return this.warming;
  }

  /** Stops every worker; pending requests fail. */
  terminate(): void {
    this.stopped = true;
    for (const worker of this.workers) worker.terminate();
    this.sessions.clear();
  }

  private sessionWorker(session: string): PooledWorker {
    let worker = this.sessions.get(session);
    if (!worker) {
      worker = this.workers.reduce((best, w) => (w.sessions < best.sessions ? w : best));
      worker.sessions++;
      this.sessions.set(session, worker);
    }
    return worker;
  }

  private release(session: string, worker: PooledWorker): void {
    if (this.sessions.delete(session)) worker.sessions--;
  }
}
