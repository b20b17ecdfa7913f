/**
 * Files on disk as upload bodies: a Blob whose bytes stay on disk and are read range by range when a part is hashed
 * or sent, so memory stays bounded by the parts in flight whatever the file size. Node's own file-backed Blob
 * (`fs.openAsBlob`) cannot be handed to a worker thread (Node 20 aborts), so this one carries its path and range,
 * which the hash threads read themselves.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';

/** Bytes read per chunk when a file range is streamed. */
const CHUNK = 1024 * 1024;

/** Where a {@link FileRangeBlob}'s bytes are: a file, a byte range, and the file's size and date when it was opened. */
export interface FileRange {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  /** The file's size when opened; a different size on read means the file changed. */
  readonly fileSize: number;
  /** The file's modification time when opened (ms); a different one on read means the file changed. */
  readonly mtimeMs: number;
}

/** Thrown when a file changed, moved or vanished since it was opened. */
export class FileChangedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotReadableError';
  }
}

/** Reads a range of a file, failing with {@link FileChangedError} when the file is not the one opened. */
export async function readFileRange(range: FileRange): Promise<Uint8Array> {
  const handle = await openChecked(range);
  try {
    const bytes = new Uint8Array(range.end - range.start);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, range.start + filled);
      if (bytesRead === 0) throw new FileChangedError(`${range.path} ended early: it was truncated since the upload began.`);
      filled += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

/** A Blob over a byte range of a file on disk; `slice` gives another range, reads go to the disk. */
export class FileRangeBlob extends Blob {
  /** @param range the file and byte range, see {@link FileRange} @param mimeType its MIME type */
  constructor(readonly range: FileRange, private readonly mimeType = '') {
    super([]);
  }

  /** The path of the file on disk. */
  get path(): string {
    return this.range.path;
  }

  override get size(): number {
    return this.range.end - this.range.start;
  }

  override get type(): string {
    return this.mimeType;
  }

  override slice(start = 0, end = this.size, contentType = ''): FileRangeBlob {
    const clamp = (n: number) => Math.min(this.size, Math.max(0, n < 0 ? this.size + n : n));
    const from = clamp(start);
    const to = Math.max(from, clamp(end));
    return new FileRangeBlob({ ...this.range, start: this.range.start + from, end: this.range.start + to }, contentType);
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    return (await readFileRange(this.range)).buffer as ArrayBuffer;
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return (await readFileRange(this.range)) as Uint8Array<ArrayBuffer>;
  }

  override async text(): Promise<string> {
    return new TextDecoder().decode(await readFileRange(this.range));
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const range = this.range;
    let offset = range.start;
    // One open file for the whole stream, checked once to be the file that was listed.
    let opened: Promise<FileHandle> | undefined;
    const handle = () => (opened ??= openChecked(range));
    const close = async () => {
      const pending = opened;
      opened = undefined;
      if (pending) await (await pending.catch(() => undefined))?.close();
    };
    return new ReadableStream<Uint8Array<ArrayBuffer>>({
      async pull(controller) {
        if (offset >= range.end) {
          await close();
          controller.close();
          return;
        }
        const chunk = new Uint8Array(Math.min(CHUNK, range.end - offset));
        const { bytesRead } = await (await handle()).read(chunk, 0, chunk.length, offset);
        if (bytesRead === 0) {
          await close();
          throw new FileChangedError(`${range.path} ended early: it was truncated since the upload began.`);
        }
        offset += bytesRead;
        controller.enqueue(chunk.subarray(0, bytesRead) as Uint8Array<ArrayBuffer>);
      },
      cancel: close,
    });
  }
}

/** Opens the range's file, failing with {@link FileChangedError} when it is gone or not the file that was listed. */
async function openChecked(range: FileRange): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(range.path, 'r');
  } catch (error) {
    throw new FileChangedError(`${range.path} can no longer be read (${(error as Error).message}).`, { cause: error });
  }
  const now = await handle.stat();
  if (now.size !== range.fileSize || Math.trunc(now.mtimeMs) !== Math.trunc(range.mtimeMs)) {
    await handle.close();
    throw new FileChangedError(`${range.path} changed on disk since the upload began.`);
  }
  return handle;
}

/** A file on disk, ready for the engine: its bytes as a Blob, its name and its modification time. */
export interface FileBody {
  /** The bytes, read lazily. */
  readonly file: FileRangeBlob;
  /** The file's name (its last path segment). */
  readonly name: string;
  /** Its modification time (ms since epoch), part of its resume fingerprint. */
  readonly lastModified: number;
}

/** Opens the file at `path` as an upload body; throws when it is not a readable regular file. */
export async function fileBody(path: string, mimeType = ''): Promise<FileBody> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a regular file.`);
  const file = new FileRangeBlob({ path, start: 0, end: info.size, fileSize: info.size, mtimeMs: info.mtimeMs }, mimeType);
  return { file, name: basename(path), lastModified: Math.trunc(info.mtimeMs) };
}
