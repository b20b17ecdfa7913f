/**
 * Hashing in Node: the engine's {@link HashPool} over `worker_threads` instead of Web Workers, one thread per core
 * but one (the main thread sends and schedules), each running the same hashing core as the browser's worker.
 */
import { availableParallelism } from 'node:os';
import { Worker as ThreadWorker } from 'node:worker_threads';
import type { HashRequest, HashResponse } from '../worker/hash-protocol.ts';
import { HashPool, type HashPoolOptions } from '../worker/hash-pool.ts';
import { FileRangeBlob } from './file-body.ts';
import type { ThreadBody } from './hash-thread.ts';

/** The default number of hash threads here: one less than the machine's cores, at least 1, at most 16. */
export function defaultThreadCount(): number {
  return Math.min(16, Math.max(1, availableParallelism() - 1));
}

/**
 * Starts the thread module beside this one: `.js` when built; `.ts` when running from source, where the thread first
 * registers tsx itself (Node 20 does not pass a loader registered at run time on to worker threads).
 */
function startThread(): ThreadWorker {
  // A thread inherits the process's flags, but `--input-type` (as in `node --input-type=module -e ...`) makes Node
  // refuse to start it.
  const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--input-type'));
  if (!import.meta.url.endsWith('.ts')) {
    // Built by concatenation on purpose: bundlers must not treat it as an asset to copy.
    return new ThreadWorker(new URL('./hash-thread' + '.js', import.meta.url), { execArgv });
  }
  const source = new URL('./hash-thread' + '.ts', import.meta.url).href;
  return new ThreadWorker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, { eval: true, execArgv });
}

/**
 * A worker thread dressed as the Web Worker the pool expects. Blobs cannot cross to a thread in Node (file-backed
 * ones abort the process), so each request's bytes go as a file range (read in the thread) or as bytes read here
 * and moved; requests keep their order, which each SHA-256 session relies on.
 */
class ThreadAsWorker {
  onmessage: ((event: MessageEvent<HashResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  private readonly thread: ThreadWorker;
  private sending: Promise<void> = Promise.resolve();

  constructor() {
    this.thread = startThread();
    this.thread.on('message', (data: HashResponse) => this.onmessage?.({ data } as MessageEvent<HashResponse>));
    this.thread.on('error', (error: Error) => this.fail(error.message));
    this.thread.on('exit', (code) => {
      if (code !== 0) this.fail(`the hash thread exited with code ${code}`);
    });
  }

  postMessage(request: HashRequest): void {
    this.sending = this.sending.then(async () => {
      if (!('blob' in request)) {
        this.thread.postMessage(request);
        return;
      }
      const { blob, ...rest } = request;
      let body: ThreadBody;
      if (blob instanceof FileRangeBlob) body = { file: blob.range };
      else {
        try {
          body = { bytes: new Uint8Array(await blob.arrayBuffer()) };
        } catch (error) {
          this.onmessage?.({ data: { id: request.id, ok: false, reason: 'unreadable', message: `The bytes could not be read (${(error as Error).message}).` } } as MessageEvent<HashResponse>);
          return;
        }
      }
      this.thread.postMessage({ ...rest, blob: body }, 'bytes' in body ? [body.bytes.buffer as ArrayBuffer] : []);
    });
  }

  terminate(): void {
    void this.thread.terminate();
  }

  private fail(message: string): void {
    this.onerror?.({ message, preventDefault: () => undefined } as ErrorEvent);
  }
}

/** Options of {@link NodeHashPool}. */
export interface NodeHashPoolOptions {
  /** Number of threads. Default: {@link defaultThreadCount}. */
  readonly size?: number;
}

/** A {@link PartHasher} over hash-wasm in `worker_threads`; call `terminate()` when done, or the threads keep Node alive. */
export class NodeHashPool extends HashPool {
  /** @param options see {@link NodeHashPoolOptions} */
  constructor(options: NodeHashPoolOptions = {}) {
    const pool: HashPoolOptions = {
      size: options.size ?? defaultThreadCount(),
      createWorker: () => new ThreadAsWorker() as unknown as Worker,
    };
    super(pool);
  }
}
