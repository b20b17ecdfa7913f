/**
 * Reads a stream of byte chunks (an object's body as the storage sends it) a piece at a time, holding only what the
 * caller still needs: skipping forward drops bytes as they arrive, so memory stays bounded by the largest piece asked
 * for, whatever the object's size.
 */

/** A forward-only reader over chunks. */
export class ByteReader {
  private readonly chunks: AsyncIterator<Uint8Array>;
  private buffer: Uint8Array = new Uint8Array(0);
  private ended = false;
  /** Bytes consumed so far (the offset of the next byte in the stream). */
  position = 0;

  /** @param source the chunks, in order */
  constructor(source: AsyncIterable<Uint8Array>) {
    this.chunks = source[Symbol.asyncIterator]();
  }

  /** Reads until `length` bytes are buffered or the stream ends; returns the buffered bytes (maybe fewer). */
  async peek(length: number): Promise<Uint8Array> {
    while (this.buffer.length < length && !this.ended) {
      const next = await this.chunks.next();
      if (next.done) {
        this.ended = true;
        break;
      }
      const joined = new Uint8Array(this.buffer.length + next.value.length);
      joined.set(this.buffer, 0);
      joined.set(next.value, this.buffer.length);
      this.buffer = joined;
    }
    return this.buffer.subarray(0, Math.min(length, this.buffer.length));
  }

  /** Skips `length` bytes; returns how many there were (fewer when the stream ended first). */
  async skip(length: number): Promise<number> {
    let skipped = 0;
    while (skipped < length) {
      if (this.buffer.length === 0) {
        if (this.ended) break;
        const next = await this.chunks.next();
        if (next.done) {
          this.ended = true;
          break;
        }
        this.buffer = next.value;
      }
      const take = Math.min(length - skipped, this.buffer.length);
      this.buffer = this.buffer.subarray(take);
      skipped += take;
    }
    this.position += skipped;
    return skipped;
  }

  /** Whether every byte has been consumed. */
  async atEnd(): Promise<boolean> {
    return (await this.peek(1)).length === 0;
  }

  /** Stops reading (the body's connection is released). */
  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}
