/**
 * The pure hashing core shared by the browser's Web Worker and Node's worker thread: MD5 of parts (for Content-MD5)
 * and running SHA-256s of files, with hash-wasm. It knows nothing of the thread it runs in: a shell hands it requests
 * and a way to read their bytes, and sends its answers back. Bare MD5 requests go first (they are on the upload's
 * critical path; a SHA-256 may lag); all others are handled in arrival order, which keeps each file's SHA-256 fed in
 * file order.
 */
import { createMD5, createSHA256, type IHasher } from 'hash-wasm';
import type { HashRequest, HashResponse } from './hash-protocol.ts';

/** A {@link HashRequest} whose bytes are given as `B` (a Blob in the browser; bytes or a file range in Node). */
export type HashRequestWith<B> = HashRequest extends infer R
  ? R extends { readonly blob: Blob } ? Omit<R, 'blob'> & { readonly blob: B } : R
  : never;

/** Thrown by a shell's reader when the bytes cannot be read (the file changed, moved or was removed). */
export class UnreadableError extends Error {}

/** What a shell gives the core. */
export interface HashCoreShell<B> {
  /** Reads the bytes a request names; throws {@link UnreadableError} when they cannot be read. */
  read(body: B): Promise<Uint8Array>;
  /** Sends an answer to the requester; `transfer` lists buffers that may be moved rather than copied. */
  reply(response: HashResponse, transfer: ArrayBuffer[]): void;
}

/** The hashing core of one worker: call {@link HashCore.receive} for every request, in the order they arrive. */
export class HashCore<B> {
  private readonly sessions = new Map<string, IHasher>();
  private md5Hasher: IHasher | undefined;
  private readonly urgent: HashRequestWith<B>[] = [];
  private readonly ordered: HashRequestWith<B>[] = [];
  private working = false;

  /** @param shell how to read bytes and answer */
  constructor(private readonly shell: HashCoreShell<B>) {}

  /** Queues a request; its answer goes to the shell's `reply`. */
  receive(request: HashRequestWith<B>): void {
    (request.op === 'md5' ? this.urgent : this.ordered).push(request);
    if (!this.working) void this.work();
  }

  /** Handles waiting requests one at a time: MD5s first, the rest in arrival order. */
  private async work(): Promise<void> {
    this.working = true;
    for (let request = this.next(); request; request = this.next()) {
      try {
        const response = await this.handle(request);
        this.shell.reply(response, response.ok && response.state ? [response.state.buffer as ArrayBuffer] : []);
      } catch (error) {
        this.shell.reply({ id: request.id, ok: false, reason: error instanceof UnreadableError ? 'unreadable' : 'failed', message: describe(error) }, []);
      }
    }
    this.working = false;
  }

  private next(): HashRequestWith<B> | undefined {
    return this.urgent.shift() ?? this.ordered.shift();
  }

  private async md5Of(bytes: Uint8Array): Promise<string> {
    this.md5Hasher ??= await createMD5();
    this.md5Hasher.init();
    this.md5Hasher.update(bytes);
    return toBase64(this.md5Hasher.digest('binary'));
  }

  private async handle(request: HashRequestWith<B>): Promise<HashResponse> {
    switch (request.op) {
      case 'md5': {
        const bytes = await this.shell.read(request.blob);
        return { id: request.id, ok: true, md5: await this.md5Of(bytes), bytes: bytes.length };
      }
      case 'part': {
        // One read of the bytes serves both hashes. The MD5 goes out before the SHA-256 update starts: the part's PUT
        // waits for it, while the running SHA-256 is needed only when the file completes.
        const bytes = await this.shell.read(request.blob);
        const md5 = await this.md5Of(bytes);
        this.shell.reply({ id: request.id, ok: true, early: true, md5, bytes: bytes.length }, []);
        const hasher = await this.session(request.session);
        hasher.update(bytes);
        return { id: request.id, ok: true, md5, bytes: bytes.length, ...(request.save ? { state: hasher.save() } : {}) };
      }
      case 'sha-update': {
        const bytes = await this.shell.read(request.blob);
        const hasher = await this.session(request.session);
        hasher.update(bytes);
        return { id: request.id, ok: true, bytes: bytes.length, ...(request.save ? { state: hasher.save() } : {}) };
      }
      case 'sha-load': {
        const hasher = await createSHA256();
        hasher.load(request.state);
        this.sessions.set(request.session, hasher);
        return { id: request.id, ok: true };
      }
      case 'sha-finish': {
        const sha256 = (await this.session(request.session)).digest('hex');
        this.sessions.delete(request.session);
        return { id: request.id, ok: true, sha256 };
      }
      case 'sha-discard':
        this.sessions.delete(request.session);
        return { id: request.id, ok: true };
    }
  }

  private async session(name: string): Promise<IHasher> {
    let hasher = this.sessions.get(name);
    if (!hasher) {
      hasher = await createSHA256();
      hasher.init();
      this.sessions.set(name, hasher);
    }
    return hasher;
  }
}

/** Reads a Blob's bytes, as both shells do for Blobs; a failed read means the file changed or vanished. */
export async function readBlob(blob: Blob): Promise<Uint8Array> {
  try {
    return new Uint8Array(await blob.arrayBuffer());
  } catch (error) {
    throw new UnreadableError(`The file could not be read (${describe(error)}); it may have changed or been removed.`);
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** A short description of any thrown value. */
export function describe(error: unknown): string {
  return error instanceof Error ? (error.name === 'Error' ? error.message : `${error.name}: ${error.message}`) : String(error);
}
