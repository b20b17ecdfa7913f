/**
 * The hash worker: MD5 per part (for Content-MD5) and a running SHA-256 per file, with hash-wasm. Requests are handled
 * strictly in arrival order, which keeps every file's SHA-256 fed in file order.
 */
import { createMD5, createSHA256, type IHasher } from 'hash-wasm';
import type { HashRequest, HashResponse } from './hash-protocol.ts';

const sessions = new Map<string, IHasher>();
let md5Hasher: IHasher | undefined;
let queue: Promise<void> = Promise.resolve();

/** The parts of the worker's global scope used here (the DOM lib, not the WebWorker lib, is in the build). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<HashRequest>) => void) | null;
  postMessage(message: HashResponse): void;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = (event: MessageEvent<HashRequest>) => {
  const request = event.data;
  queue = queue.then(() => handle(request).then(reply, (error: unknown) => reply(failure(request.id, error))));
};

function reply(response: HashResponse): void {
  scope.postMessage(response);
}

async function handle(request: HashRequest): Promise<HashResponse> {
  switch (request.op) {
    case 'part': {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await request.blob.arrayBuffer());
      } catch (error) {
        return { id: request.id, ok: false, reason: 'unreadable', message: `The file could not be read (${describe(error)}); it may have changed or been removed.` };
      }
      md5Hasher ??= await createMD5();
      md5Hasher.init();
      md5Hasher.update(bytes);
      const md5 = toBase64(md5Hasher.digest('binary'));
      if (request.sha256) (await session(request.session)).update(bytes);
      return { id: request.id, ok: true, md5, bytes: bytes.length };
    }
    case 'finish': {
      const sha256 = (await session(request.session)).digest('hex');
      sessions.delete(request.session);
      return { id: request.id, ok: true, sha256 };
    }
    case 'discard':
      sessions.delete(request.session);
      return { id: request.id, ok: true };
  }
}

async function session(name: string): Promise<IHasher> {
  let hasher = sessions.get(name);
  if (!hasher) {
    hasher = await createSHA256();
    hasher.init();
    sessions.set(name, hasher);
  }
  return hasher;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function failure(id: number, error: unknown): HashResponse {
  return { id, ok: false, reason: 'failed', message: describe(error) };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
