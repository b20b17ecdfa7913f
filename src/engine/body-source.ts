/**
 * What can be uploaded, and how its bytes are read: Blobs (and Files) by lazy slices, byte buffers as a Blob, and
 * streams of unknown length part by part as they arrive.
 */

import type { PendingChunks } from './stream-parts.ts';

/** Anything the engine uploads. */
export type UploadBody = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** A body whose size is known: read by slices, never whole. */
export interface BlobSource {
  readonly kind: 'blob';
  readonly blob: Blob;
}

/** A body of unknown length, read in order. */
export interface StreamSource {
  readonly kind: 'stream';
  readonly reader: StreamPartReader;
}

/** A body ready to be read. */
export type BodySource = BlobSource | StreamSource;

/** Wraps any {@link UploadBody}; throws a TypeError for anything else. */
export function toBodySource(body: UploadBody): BodySource {
  if (body instanceof Blob) return { kind: 'blob', blob: body };
  if (body instanceof ArrayBuffer) return { kind: 'blob', blob: new Blob([body]) };
  if (ArrayBuffer.isView(body)) {
    const view = new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength);
    return { kind: 'blob', blob: new Blob([view]) };
  }
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) {
    return { kind: 'stream', reader: new StreamPartReader(streamChunks(body)) };
  }
  if (body && typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    return { kind: 'stream', reader: new StreamPartReader((body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()) };
  }
  throw new TypeError('An upload body must be a Blob (or File), ArrayBuffer, typed array, ReadableStream or async iterable of Uint8Array');
}

/** A ReadableStream's chunks (read in stream-parts.ts, loaded on first use). */
async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* (await import('./stream-parts.ts')).streamChunks(stream);
}

/**
 * Cuts a stream of chunks into parts of the sizes asked for. Holds at most one part plus one chunk; knows whether the
 * stream has ended right after a part was cut (it reads one chunk ahead to tell).
 */
export class StreamPartReader {
  /** The chunks read ahead and not handed out yet (shared with the cutting in stream-parts.ts). */
  private readonly buffer: PendingChunks;

  /** @param chunks the stream's chunks */
  constructor(chunks: AsyncIterator<Uint8Array>) {
    this.buffer = { chunks, pending: [], pendingBytes: 0, finished: false, bytesRead: 0 };
  }

  /** Bytes handed out in parts so far. */
  get bytesRead(): number {
    return this.buffer.bytesRead;
  }

  /** True once the stream has ended and every byte was handed out. */
  get ended(): boolean {
    return this.buffer.finished && this.buffer.pendingBytes === 0;
  }

  /** The next part of at most `size` bytes (fewer only at the end); undefined once nothing is left. */
  async next(size: number): Promise<Blob | undefined> {
    // Only programs upload streams (the element uploads files): the cutting is a chunk loaded on first use.
    return (await import('./stream-parts.ts')).cutPart(this.buffer, size);
  }

  /** Stops reading (pause or cancel of a stream ends it: a stream cannot be read twice). */
  async close(): Promise<void> {
    Object.assign(this.buffer, { finished: true, pending: [], pendingBytes: 0 });
    await this.buffer.chunks.return?.().catch(() => undefined);
  }
}
