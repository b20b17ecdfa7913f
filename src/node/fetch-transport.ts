/**
 * Sending parts from Node: fetch() with the part streamed from disk, its Content-Length set (S3 refuses chunked PUTs),
 * and upload progress counted as the body is pulled, which the browser's fetch() cannot do and Node's can.
 */
import { storageError, type PartPutRequest, type PartTransport } from '../engine/part-transport.ts';
import { AbortedError, UploadError, parseRetryAfter } from '../engine/upload-error.ts';
import { FileChangedError } from './file-body.ts';

/** Options of {@link FetchPartTransport}. */
export interface FetchPartTransportOptions {
  /** The fetch implementation. Default: the global fetch (undici). */
  readonly fetch?: typeof fetch;
}

/** {@link PartTransport} over fetch(), for Node. */
export class FetchPartTransport implements PartTransport {
  private readonly fetchImpl: typeof fetch;

  /** @param options see {@link FetchPartTransportOptions} */
  constructor(options: FetchPartTransportOptions = {}) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** {@inheritDoc PartTransport.put} */
  async put(request: PartPutRequest, onProgress: (bytesSent: number) => void, signal: AbortSignal): Promise<{ etag: string }> {
    if (signal.aborted) throw new AbortedError();
    const described = { method: 'PUT', url: request.url.split('?')[0] ?? request.url };
    let sent = 0;
    let readFailure: unknown;
    const counted = request.body.stream().pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        sent += chunk.byteLength;
        onProgress(sent);
        controller.enqueue(chunk);
      },
    }));
    const reader = counted.getReader();
    // Wrapped so a read failure (the file changed on disk) is told apart from a network failure.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          readFailure = error;
          controller.error(error);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    });
    let response: Response;
    try {
      response = await this.fetchImpl(request.url, {
        method: 'PUT',
        headers: { ...request.headers, 'content-length': String(request.body.size) },
        body,
        signal,
        duplex: 'half',
      } as RequestInit);
    } catch (error) {
      if (signal.aborted) throw new AbortedError();
      if (readFailure !== undefined) {
        throw new UploadError('file_changed', `The file changed or was removed on disk while it was being uploaded (${(readFailure as Error).message}); upload it again to send its new content.`, { request: described, cause: readFailure });
      }
      throw new UploadError('network', `The connection to the storage failed while sending a part (${describeCause(error)}).`, { retryable: true, request: described, cause: error });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw new AbortedError();
      throw new UploadError('network', `The storage's answer was cut off (${describeCause(error)}).`, { retryable: true, request: described, cause: error });
    }
    if (response.status >= 200 && response.status < 300) {
      const etag = response.headers.get('etag');
      if (!etag) throw new UploadError('etag_unreadable', 'The storage accepted the part but sent no ETag header.', { status: response.status, request: described });
      onProgress(request.body.size);
      return { etag };
    }
    throw storageError(response.status, text, described, parseRetryAfter(response.headers.get('retry-after')));
  }
}

/** undici hides the reason (refused, reset) in `cause`. */
function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (error instanceof FileChangedError) return error.message;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
