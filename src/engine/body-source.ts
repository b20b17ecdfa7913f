/**
 * What can be uploaded, and how its bytes are read: Blobs (and Files) by lazy slices, byte buffers as a Blob, and
 * streams of unknown length part by part as they arrive.
 */

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

async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
    await stream.cancel().catch(() => undefined);
  }
}

/**
 * Cuts a stream of chunks into parts of the sizes asked for. Holds at most one part plus one chunk; knows whether the
 * stream has ended right after a part was cut (it reads one chunk ahead to tell).
 */
export class StreamPartReader {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private finished = false;
  /** Bytes handed out in parts so far. */
  bytesRead = 0;

  /** @param chunks the stream's chunks */
  constructor(private readonly chunks: AsyncIterator<Uint8Array>) {}

  /** True once the stream has ended and every byte was handed out. */
  get ended(): boolean {
    return this.finished && this.pendingBytes === 0;
  }

  /** The next part of at most `size` bytes (fewer only at the end); undefined once nothing is left. */
  async next(size: number): Promise<Blob | undefined> {
    // Fill past `size` by one chunk, so that `ended` is known as soon as the part is cut.
    while (!this.finished && this.pendingBytes <= size) {
      const { done, value } = await this.chunks.next();
      if (done) this.finished = true;
      else if (value.byteLength > 0) {
        if (!(value instanceof Uint8Array)) throw new TypeError('A stream body must yield Uint8Array chunks');
        this.pending.push(value);
        this.pendingBytes += value.byteLength;
      }
    }
    if (this.pendingBytes === 0) return undefined;
    const parts: Uint8Array<ArrayBuffer>[] = [];
    let taken = 0;
    while (taken < size && this.pending.length > 0) {
      const chunk = this.pending[0]!;
      const want = size - taken;
      if (chunk.byteLength <= want) {
        parts.push(chunk as Uint8Array<ArrayBuffer>);
        this.pending.shift();
        taken += chunk.byteLength;
      } else {
        parts.push(chunk.subarray(0, want) as Uint8Array<ArrayBuffer>);
        this.pending[0] = chunk.subarray(want);
        taken += want;
      }
    }
    this.pendingBytes -= taken;
    this.bytesRead += taken;
    return new Blob(parts);
  }

  /** Stops reading (pause or cancel of a stream ends it: a stream cannot be read twice). */
  async close(): Promise<void> {
    this.finished = true;
    this.pending = [];
    this.pendingBytes = 0;
    await this.chunks.return?.().catch(() => undefined);
  }
}
