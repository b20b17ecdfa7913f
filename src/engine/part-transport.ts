/**
 * Sending one part's bytes to a presigned URL. The engine talks to this port; the browser build uses
 * {@link XhrPartTransport}, whose upload progress events fetch() lacks.
 */
import { AbortedError, UploadError, parseRetryAfter } from './upload-error.ts';

/** One part PUT. */
export interface PartPutRequest {
  /** Presigned URL. */
  readonly url: string;
  /** Headers bound into the signature (Content-MD5). */
  readonly headers: Readonly<Record<string, string>>;
  /** The bytes. */
  readonly body: Blob;
}

/** Sends part bytes; resolves with the ETag the storage returned. */
export interface PartTransport {
  /**
   * PUTs `request.body`; calls `onProgress` with the bytes sent so far. Rejects with {@link UploadError}, or
   * {@link AbortedError} when `signal` aborts.
   */
  put(request: PartPutRequest, onProgress: (bytesSent: number) => void, signal: AbortSignal): Promise<{ etag: string }>;
}

/** How long a part PUT may go without any progress before it is given up as a network error (and retried). */
export const DEFAULT_STALL_MS = 60_000;

/** {@link PartTransport} over XMLHttpRequest. */
export class XhrPartTransport implements PartTransport {
  /**
   * @param stallMs a PUT with no upload progress and no answer for this long is aborted as a network error: a request
   *   whose body stopped flowing (WebKit's, for a file cut short on disk) would otherwise wait for ever
   */
  constructor(private readonly stallMs = DEFAULT_STALL_MS) {}

  /** {@inheritDoc PartTransport.put} */
  put(request: PartPutRequest, onProgress: (bytesSent: number) => void, signal: AbortSignal): Promise<{ etag: string }> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new AbortedError());
      const xhr = new XMLHttpRequest();
      const described = { method: 'PUT', url: request.url.split('?')[0] ?? request.url };
      const onAbort = () => xhr.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      let stalled = false;
      let stallTimer: ReturnType<typeof setTimeout> | undefined;
      const watch = () => {
        clearTimeout(stallTimer);
        stallTimer = setTimeout(() => { stalled = true; xhr.abort(); }, this.stallMs);
      };
      const settle = () => { clearTimeout(stallTimer); signal.removeEventListener('abort', onAbort); };
      xhr.open('PUT', request.url);
      for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (event) => { watch(); onProgress(event.loaded); };
      xhr.onabort = () => {
        if (stalled) return xhr.onerror?.(new ProgressEvent('error'));
        settle();
        reject(new AbortedError());
      };
      xhr.onerror = () => {
        settle();
        // A file that changed on disk after it was picked also fails the request: tell that apart from the network.
        void readable(request.body).then((ok) => reject(ok
          ? new UploadError('network', stalled
            ? `Sending a part made no progress for ${Math.round(this.stallMs / 1000)} s; the connection to the storage was given up.`
            : 'The connection to the storage failed while sending a part (network error, or the storage refused the page\'s origin by CORS).', { retryable: true, request: described })
          : new UploadError('file_changed', 'The file changed or was removed on disk while it was being uploaded; add it again to upload its new content.', { request: described })));
      };
      xhr.ontimeout = xhr.onerror;
      xhr.onload = () => {
        settle();
        if (xhr.status >= 200 && xhr.status < 300) {
          const etag = xhr.getResponseHeader('ETag');
          if (!etag) {
            reject(new UploadError('etag_unreadable',
              'The storage accepted the part but its ETag header cannot be read: its CORS configuration must list ETag in ExposeHeaders.',
              { status: xhr.status, request: described }));
            return;
          }
          onProgress(request.body.size);
          resolve({ etag });
          return;
        }
        reject(storageError(xhr.status, xhr.responseText, described, parseRetryAfter(xhr.getResponseHeader('Retry-After'))));
      };
      watch();
      xhr.send(request.body);
    });
  }
}

/**
 * True when the first and last bytes of `blob` can still be read (false for a file changed or removed on disk; Firefox
 * reads a file cut short on disk without an error, but gives no last byte).
 */
async function readable(blob: Blob): Promise<boolean> {
  try {
    await blob.slice(0, 1).arrayBuffer();
    return blob.size === 0 || (await blob.slice(blob.size - 1).arrayBuffer()).byteLength === 1;
  } catch {
    return false;
  }
}

/** Builds the error for a storage answer with a non-2xx `status` and an S3 XML error `body`. */
export function storageError(status: number, body: string, request: { method: string; url: string }, retryAfterMs?: number): UploadError {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? '';
  const detail = /<Message>([^<]+)<\/Message>/.exec(body)?.[1];
  const what = `${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`;
  const details = { status, serverCode: code || undefined, request, responseBody: body, retryAfterMs };
  if (code === 'BadDigest' || code === 'InvalidDigest') {
    return new UploadError('bad_digest', `The storage rejected a part whose bytes do not match their MD5 (${what}): the file may have changed while uploading.`, details);
  }
  if (status >= 500 || status === 429 || status === 408) {
    return new UploadError('storage_unavailable', `The storage is busy or failing (${what}).`, { ...details, retryable: true });
  }
  // A 403 is not retried as such: the caller signs again once, since the URL may simply have expired.
  return new UploadError('storage_rejected', `The storage refused a part (${what}).`, details);
}
