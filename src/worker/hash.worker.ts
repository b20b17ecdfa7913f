/**
 * A hash worker: MD5 of parts (for Content-MD5) and running SHA-256s of files, with hash-wasm. Bare MD5 requests go
 * first; all others are handled in arrival order, which keeps each file's SHA-256 fed in file order.
 */
import { createMD5, createSHA256, type IHasher } from 'hash-wasm';
import type { HashRequest, HashResponse } from './hash-protocol.ts';

/** The parts of the worker's global scope used here (the build's lib is DOM, not WebWorker). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<HashRequest>) => void) | null;
  postMessage(message: HashResponse, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

const sessions = new Map<string, IHasher>();
let md5Hasher: IHasher | undefined;
const urgent: HashRequest[] = [];
const ordered: HashRequest[] = [];
let working = false;

class Unreadable extends Error {}

scope.onmessage = (event) => {
  (event.data.op === 'md5' ? urgent : ordered).push(event.data);
  if (!working) void work();
};

/** Handles waiting requests one at a time: MD5s first, the rest in arrival order. */
async function work(): Promise<void> {
  working = true;
  for (let request = urgent.shift() ?? ordered.shift(); request; request = urgent.shift() ?? ordered.shift()) {
    try {
      const response = await handle(request);
      scope.postMessage(response, response.ok && response.state ? [response.state.buffer as ArrayBuffer] : []);
    } catch (error) {
      scope.postMessage({ id: request.id, ok: false, reason: error instanceof Unreadable ? 'unreadable' : 'failed', message: describe(error) });
    }
  }
  working = false;
}

async function md5Of(bytes: Uint8Array): Promise<string> {
  md5Hasher ??= await createMD5();
  md5Hasher.init();
  md5Hasher.update(bytes);
  return toBase64(md5Hasher.digest('binary'));
}

async function handle(request: HashRequest): Promise<HashResponse> {
  switch (request.op) {
    case 'md5': {
      const bytes = await read(request.blob);
      return { id: request.id, ok: true, md5: await md5Of(bytes), bytes: bytes.length };
    }
    case 'part': {
      const bytes = await read(request.blob);
      const md5 = await md5Of(bytes);
      const hasher = await session(request.session);
      hasher.update(bytes);
      return { id: request.id, ok: true, md5, bytes: bytes.length, ...(request.save ? { state: hasher.save() } : {}) };
    }
    case 'sha-update': {
      const bytes = await read(request.blob);
      const hasher = await session(request.session);
      hasher.update(bytes);
      return { id: request.id, ok: true, bytes: bytes.length, ...(request.save ? { state: hasher.save() } : {}) };
    }
    case 'sha-load': {
      const hasher = await createSHA256();
      hasher.load(request.state);
      sessions.set(request.session, hasher);
      return { id: request.id, ok: true };
    }
    case 'sha-finish': {
      const sha256 = (await session(request.session)).digest('hex');
      sessions.delete(request.session);
      return { id: request.id, ok: true, sha256 };
    }
    case 'sha-discard':
      sessions.delete(request.session);
      return { id: request.id, ok: true };
  }
}

async function read(blob: Blob): Promise<Uint8Array> {
  try {
    return new Uint8Array(await blob.arrayBuffer());
  } catch (error) {
    throw new Unreadable(`The file could not be read (${describe(error)}); it may have changed or been removed.`);
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

function describe(error: unknown): string {
  return error instanceof Error ? (error.name === 'Error' ? error.message : `${error.name}: ${error.message}`) : String(error);
}
