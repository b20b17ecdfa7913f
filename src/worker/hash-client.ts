/**
 * The main thread's side of the hash worker: sends Blob slices, gets MD5s and SHA-256s back as promises.
 */
import type { HashRequest, HashResponse } from './hash-protocol.ts';

/** How a part was hashed. */
export interface PartDigest {
  /** Base64 MD5 of the part, for the Content-MD5 header. */
  readonly md5: string;
  /** Number of bytes read. */
  readonly bytes: number;
}

/** Thrown when hashing fails; `unreadable` means the file's bytes could not be read. */
export class HashError extends Error {
  /**
   * @param reason `unreadable` when the bytes could not be read, `failed` otherwise
   */
  constructor(readonly reason: 'unreadable' | 'failed', message: string) {
    super(message);
    this.name = 'HashError';
  }
}

/** What the engine needs from a hasher (the port the worker client fills). */
export interface PartHasher {
  /**
   * MD5 of `blob`; when `sha256` is true its bytes also feed the running SHA-256 of `session`. Calls for one session
   * must be made in file order.
   */
  hashPart(session: string, blob: Blob, sha256: boolean): Promise<PartDigest>;
  /** The SHA-256 (lowercase hex) of everything fed to `session`; ends the session. */
  finish(session: string): Promise<string>;
  /** Ends `session` without a result. */
  discard(session: string): void;
}

type Pending = { resolve: (response: HashResponse & { ok: true }) => void; reject: (error: Error) => void };

/** A {@link PartHasher} that runs hash-wasm in one module Web Worker, started on first use. */
export class HashWorkerClient implements PartHasher {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** @param createWorker starts the worker; the default loads `hash.worker.ts` next to this module. */
  constructor(private readonly createWorker: () => Worker = () => new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module' })) {}

  /** {@inheritDoc PartHasher.hashPart} */
  async hashPart(session: string, blob: Blob, sha256: boolean): Promise<PartDigest> {
    const response = await this.request({ id: 0, op: 'part', session, blob, sha256 });
    return { md5: response.md5 ?? '', bytes: response.bytes ?? 0 };
  }

  /** {@inheritDoc PartHasher.finish} */
  async finish(session: string): Promise<string> {
    return (await this.request({ id: 0, op: 'finish', session })).sha256 ?? '';
  }

  /** {@inheritDoc PartHasher.discard} */
  discard(session: string): void {
    void this.request({ id: 0, op: 'discard', session }).catch(() => undefined);
  }

  /** Stops the worker; pending requests fail. */
  terminate(): void {
    this.worker?.terminate();
    this.worker = undefined;
    for (const { reject } of this.pending.values()) reject(new HashError('failed', 'The hash worker was stopped.'));
    this.pending.clear();
  }

  private request(request: HashRequest): Promise<HashResponse & { ok: true }> {
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.onmessage = (event: MessageEvent<HashResponse>) => {
      const response = event.data;
      const pending = this.pending.get(response.id);
      if (!pending) return;
      this.pending.delete(response.id);
      if (response.ok) pending.resolve(response);
      else pending.reject(new HashError(response.reason, response.message));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      const error = new HashError('failed', `The hash worker failed: ${event.message || 'it could not be loaded'}.`);
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
      this.worker?.terminate();
      this.worker = undefined;
    };
    this.worker = worker;
    return worker;
  }
}
