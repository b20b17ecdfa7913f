/**
 * The browser's part transport: XMLHttpRequest, whose upload progress events fetch() lacks in browsers, and a form
 * POST for small objects (a CORS-simple request: no preflight).
 */
import { storageError, type FormPostRequest, type PartPutRequest, type PartTransport } from '../engine/part-transport.ts';
import { AbortedError, UploadError, parseRetryAfter } from '../engine/upload-error.ts';

/** How long a part PUT may go without any progress before it is given up as a network error (and retried). */
export const DEFAULT_STALL_MS = 60_000;

/**
 * How often a part PUT with no upload progress checks that its file can still be read. Firefox and WebKit do not fail
 * the request of a file cut short or grown on disk: its body just stops flowing. Reading two bytes tells it within
 * seconds, where the stall limit would take a minute.
 */
export const CHANGED_FILE_PROBE_MS = 3_000;

/** {@link PartTransport} over XMLHttpRequest. */
export class XhrPartTransport implements PartTransport {
  /**
   * @param stallMs a PUT with no upload progress and no answer for this long is aborted as a network error: a request
   *   whose body stopped flowing would otherwise wait for ever. Meanwhile, every {@link CHANGED_FILE_PROBE_MS} without
   *   progress, the PUT checks that its file can still be read, and fails at once as `file_changed` when it cannot.
   */
  constructor(private readonly stallMs = DEFAULT_STALL_MS) {}

  /** {@inheritDoc PartTransport.put} */
  put(request: PartPutRequest, onProgress: (bytesSent: number) => void, signal: AbortSignal): Promise<{ etag: string }> {
    return send('PUT', request.url, request.body, request.body, signal, (xhr, watch) => {
      for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (event) => { watch(); onProgress(event.loaded); };
    }, (xhr) => {
      const etag = xhr.getResponseHeader('ETag');
      if (etag) onProgress(request.body.size);
      return etag ?? undefined;
    }, this.stallMs) as Promise<{ etag: string }>; // send() rejects a PUT's answer that names no ETag
  }

  /** {@inheritDoc PartTransport.post} */
  post(request: FormPostRequest, signal: AbortSignal): Promise<{ etag?: string }> {
    const form = new FormData();
    for (const [name, value] of Object.entries(request.fields)) form.append(name, value);
    form.append('file', request.body);
    // No xhr.upload listener: with one the request would need a CORS preflight.
    return send('POST', request.url, form, request.body, signal, () => undefined,
      (xhr) => formPostEtag(xhr.getResponseHeader('ETag'), xhr.responseText));
  }
}

/**
 * Sends `payload` (the bytes of `file`, or a form holding them) by `method` and resolves with the ETag `etagOf` reads
 * from a 2xx answer (a PUT's answer must name one; a POST's 204 answer names none); `prepare` sets headers and listeners on the open request, and calls `watch` on progress. A PUT is
 * a part ("sending a part"), a POST a whole file. With `stallMs`, a request with no progress for that long is given up
 * as a network error.
 */
function send(
  method: 'PUT' | 'POST', url: string, payload: XMLHttpRequestBodyInit, file: Blob, signal: AbortSignal,
  prepare: (xhr: XMLHttpRequest, watch: () => void) => void, etagOf: (xhr: XMLHttpRequest) => string | undefined, stallMs?: number,
): Promise<{ etag?: string }> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AbortedError());
    const what = method === 'PUT' ? 'part' : 'file';
    const xhr = new XMLHttpRequest();
    const described = { method, url: url.split('?')[0] ?? url };
    const fileChanged = () => new UploadError('file_changed', 'The file changed or was removed on disk while it was being uploaded; add it again.', { request: described });
    const onAbort = () => xhr.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    // Why this request was given up from here rather than by the network or the caller.
    let givenUp: 'stalled' | 'changed' | undefined;
    let settled = false;
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    let probeTimer: ReturnType<typeof setTimeout> | undefined;
    const probe = () => {
      probeTimer = setTimeout(() => {
        void readable(file).then((ok) => {
          if (settled) return;
          if (ok) return probe();
          givenUp = 'changed';
          xhr.abort();
        });
      }, CHANGED_FILE_PROBE_MS);
    };
    const watch = () => {
      if (stallMs === undefined) return;
      clearTimeout(stallTimer);
      clearTimeout(probeTimer);
      stallTimer = setTimeout(() => { givenUp = 'stalled'; xhr.abort(); }, stallMs);
      probe();
    };
    const settle = () => {
      settled = true;
      clearTimeout(stallTimer);
      clearTimeout(probeTimer);
      signal.removeEventListener('abort', onAbort);
    };
    xhr.open(method, url);
    prepare(xhr, watch);
    xhr.onabort = () => {
      if (givenUp === 'changed') {
        settle();
        return reject(fileChanged());
      }
      if (givenUp === 'stalled') return xhr.onerror?.(new ProgressEvent('error'));
      settle();
      reject(new AbortedError());
    };
    xhr.onerror = () => {
      settle();
      // A file that changed on disk after it was picked also fails the request: tell that apart from the network.
      void readable(file).then((ok) => reject(ok
        ? new UploadError('network', givenUp === 'stalled'
          ? `Sending a ${what} made no progress for ${Math.round(stallMs! / 1000)} s; the connection to the storage was given up.`
          : `The connection to the storage failed while sending a ${what} (network error, or the storage refused the page's origin by CORS).`, { retryable: true, request: described })
        : fileChanged()));
    };
    xhr.ontimeout = xhr.onerror;
    xhr.onload = () => {
      settle();
      if (xhr.status >= 200 && xhr.status < 300) {
        const etag = etagOf(xhr);
        if (etag) resolve({ etag });
        else if (method === 'POST') resolve({});
        else {
          reject(new UploadError('etag_unreadable',
            `The storage accepted the ${what} but its ETag cannot be read: its CORS configuration must list ETag in ExposeHeaders.`,
            { status: xhr.status, request: described }));
        }
        return;
      }
      reject(storageError(xhr.status, xhr.responseText, described, parseRetryAfter(xhr.getResponseHeader('Retry-After'))));
    };
    watch();
    xhr.send(payload);
  });
}

/**
 * The ETag of a form POST's answer: the header where the storage sends one and the page may read it, else the
 * `<ETag>` of an XML body (`success_action_status=201` asks for one; s3rver spells it `Etag`). The reference server
 * asks for 204, whose answer from Ceph RGW names neither: then there is none, and the confirm checks the MD5.
 */
export function formPostEtag(header: string | null, body: string): string | undefined {
  if (header) return header;
  const fromBody = /<ETag>([^<]*)<\/ETag>/i.exec(body)?.[1];
  return fromBody ? fromBody.replaceAll('&quot;', '"').replaceAll('&#34;', '"') : undefined;
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
