/**
 * Node's hash worker: a `worker_threads` shell around the shared hashing core (hash-core.ts), the same core the
 * browser's Web Worker runs. Parts arrive as a file range (read here, from disk) or as bytes moved from the main thread.
 */
import { parentPort } from 'node:worker_threads';
import { HashCore, UnreadableError } from '../worker/hash-core.ts';
import { readFileRange, type FileRange } from './file-body.ts';

/** How a part's bytes reach a hash thread. */
export type ThreadBody = { readonly bytes: Uint8Array } | { readonly file: FileRange };

if (!parentPort) throw new Error('hash-thread.ts runs as a worker thread (see NodeHashPool).');
const port = parentPort;

const core = new HashCore<ThreadBody>({
  async read(body) {
    if ('bytes' in body) return body.bytes;
    try {
      return await readFileRange(body.file);
    } catch (error) {
      throw new UnreadableError((error as Error).message);
    }
  },
  reply: (response, transfer) => port.postMessage(response, transfer),
});

port.on('message', (request) => core.receive(request));
