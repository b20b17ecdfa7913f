/**
 * The browser's hash worker: a Web Worker shell around the shared hashing core (hash-core.ts). Parts arrive as Blob
 * slices and are read here, never copied through the page's main thread.
 */
import { HashCore, readBlob } from './hash-core.ts';
import type { HashRequest, HashResponse } from './hash-protocol.ts';

/** The parts of the worker's global scope used here (the build's lib is DOM, not WebWorker). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<HashRequest>) => void) | null;
  postMessage(message: HashResponse, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

const core = new HashCore<Blob>({
  read: readBlob,
  reply: (response, transfer) => scope.postMessage(response, transfer),
});

scope.onmessage = (event) => core.receive(event.data);
