/**
 * Stream bodies part by part: cutting a stream into parts (the work behind StreamPartReader.next, body-source.ts) and
 * the multipart upload's parts of a stream. A module of its own so that the one-file bundle, whose element uploads
 * files, carries it as a chunk loaded when a program first uploads a stream.
 */
import type { PartToSend } from './multipart-upload.ts';
import { streamPartSize } from './part-plan.ts';
import type { Slots } from './slots.ts';
import type { UploadTask } from './upload-task.ts';

/** A stream's chunks read ahead and not handed out yet, and how far it got. */
export interface PendingChunks {
  readonly chunks: AsyncIterator<Uint8Array>;
  pending: Uint8Array[];
  pendingBytes: number;
  finished: boolean;
  bytesRead: number;
}

/** The next part of at most `size` bytes (fewer only at the end); undefined once nothing is left. */
export async function cutPart(buffer: PendingChunks, size: number): Promise<Blob | undefined> {
  // Fill past `size` by one chunk, so that `ended` is known as soon as the part is cut.
  while (!buffer.finished && buffer.pendingBytes <= size) {
    const { done, value } = await buffer.chunks.next();
    if (done) buffer.finished = true;
    else if (value.byteLength > 0) {
      if (!(value instanceof Uint8Array)) throw new TypeError('A stream body must yield Uint8Array chunks');
      buffer.pending.push(value);
      buffer.pendingBytes += value.byteLength;
    }
  }
  if (buffer.pendingBytes === 0) return undefined;
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let taken = 0;
  while (taken < size && buffer.pending.length > 0) {
    const chunk = buffer.pending[0]!;
    const want = size - taken;
    if (chunk.byteLength <= want) {
      parts.push(chunk as Uint8Array<ArrayBuffer>);
      buffer.pending.shift();
      taken += chunk.byteLength;
    } else {
      parts.push(chunk.subarray(0, want) as Uint8Array<ArrayBuffer>);
      buffer.pending[0] = chunk.subarray(want);
      taken += want;
    }
  }
  buffer.pendingBytes -= taken;
  buffer.bytesRead += taken;
  return new Blob(parts);
}

/**
 * A stream's parts for the multipart upload: first those read before a pause (kept, since a stream cannot be read
 * twice), then new ones. Each holds a window slot that the caller releases once the part is settled.
 */
export async function* streamPartsOf(task: UploadTask, window: Slots, signal: AbortSignal): AsyncGenerator<PartToSend> {
  if (task.source.kind !== 'stream') return;
  for (const [partNumber, blob] of [...task.streamParts].sort(([a], [b]) => a - b)) {
    await window.acquire(signal);
    yield { partNumber, blob };
  }
  const reader = task.source.reader;
  while (!reader.ended) {
    await window.acquire(signal);
    const partNumber = task.streamNext;
    const blob = await reader.next(streamPartSize(task.partSize, partNumber));
    if (!blob) {
      window.release();
      return;
    }
    task.streamNext++;
    task.streamParts.set(partNumber, blob);
    yield { partNumber, blob };
  }
}

/** A ReadableStream's chunks; returning early (pause, cancel) releases the reader and cancels the stream. */
export async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
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
