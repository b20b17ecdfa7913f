/**
 * The part transport port: sending one part's bytes (or a whole small object's) to a presigned URL, and the error a
 * storage answer becomes. Each platform brings its transport: XhrPartTransport in the browser (src/browser/),
 * FetchPartTransport in Node (src/node/).
 */
import { UploadError } from './upload-error.ts';

/** One part PUT. */
export interface PartPutRequest {
  /** Presigned URL. */
  readonly url: string;
  /** Headers bound into the signature (Content-MD5). */
  readonly headers: Readonly<Record<string, string>>;
  /** The bytes. */
  readonly body: Blob;
}

/** One form POST of a whole object (a presigned POST policy). */
export interface FormPostRequest {
  /** Where to POST (the bucket's URL). */
  readonly url: string;
  /** Policy fields, sent before the file in this order. */
  readonly fields: Readonly<Record<string, string>>;
  /** The bytes. */
  readonly body: Blob;
}

/** Sends part bytes; resolves with the ETag the storage returned. */
export interface PartTransport {
  /**
   * POSTs `request.body` as a form to a presigned POST policy; resolves with the stored object's ETag when the answer
   * names one (a 204 answer does not: the server's confirm then compares the ETag with the MD5). Optional: a
   * transport without it makes the engine send small objects by PUT. It reports no progress on purpose: in a browser,
   * upload progress listeners make the request non-simple, and a preflight is exactly what the POST saves.
   */
  post?(request: FormPostRequest, signal: AbortSignal): Promise<{ etag?: string }>;
  /**
   * PUTs `request.body`; calls `onProgress` with the bytes sent so far. Rejects with {@link UploadError}, or
   * {@link AbortedError} when `signal` aborts.
   */
  put(request: PartPutRequest, onProgress: (bytesSent: number) => void, signal: AbortSignal): Promise<{ etag: string }>;
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
