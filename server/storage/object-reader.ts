/**
 * Reads stored objects with plain signed GETs over Node's HTTP client.
 *
 * Why not the S3 SDK's GetObject: reading back every small object is the server's largest per-file cost after the
 * database (the confirm reads each object up to 1 MiB whole to validate it), and the SDK spends about three times the
 * CPU of the request itself on its middleware, endpoint rules and response parsing (measured against Ceph RGW, 64 KiB
 * objects, 6 at once: 0.6-1.0 against 0.2-0.37 ms of CPU per GET). Signing stays the SDK's own SigV4 signer, fed the
 * S3 client's credentials and hash, so the request is what the SDK would sign; errors take the SDK's shape (a name and
 * `$metadata.httpStatusCode`), so `toApiError` and `isNotFound` read them unchanged.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from './s3-client.ts';

/** SHA-256 of an empty body: a GET signs it as its payload hash. */
const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** How many times a GET is tried when the storage cannot be reached or answers 5xx before a byte of the body arrives. */
const DEFAULT_ATTEMPTS = 3;

/** One GET's answer: the object's headers and its body, read as the caller consumes it. */
export interface ObjectResponse {
  /** Bytes in this answer (the whole object, or the range asked for). */
  readonly size: number;
  /** The ETag header as sent, quotes included (as the SDK gives it). */
  readonly etag: string;
  /** User metadata (`x-amz-meta-*`), names lowercased and without the prefix. */
  readonly metadata: Record<string, string>;
  /** The body; the caller reads it to its end or destroys it. */
  readonly body: IncomingMessage;
}

/** Options of one read. */
export interface ReadOptions {
  /** Only the bytes `start` to `end` inclusive (an HTTP Range). Default: the whole object. */
  readonly range?: { readonly start: number; readonly end: number };
  /** Aborts the request and its body. */
  readonly signal?: AbortSignal | undefined;
}

/** An answer of the storage other than 2xx, or a request that failed, shaped as the S3 SDK's errors are. */
export class StorageReadError extends Error {
  /** The HTTP status, as the SDK's errors carry it; absent when no answer came. */
  readonly $metadata: { readonly httpStatusCode?: number };

  /**
   * @param name the storage's error code (`NoSuchKey`, `AccessDenied`, ...), or `TimeoutError` / the system's code
   * @param message what went wrong
   * @param httpStatusCode the answer's status, undefined when there was none
   * @param cause the underlying error
   */
  constructor(name: string, message: string, httpStatusCode?: number, cause?: unknown) {
    super(message, { cause });
    this.name = name;
    this.$metadata = httpStatusCode === undefined ? {} : { httpStatusCode };
  }
}

/** Reads objects of one bucket with signed GETs, over kept-alive connections. */
export class ObjectReader {
  private readonly signer: SignatureV4;
  private readonly endpoint: URL;
  private readonly pathStyle: boolean;
  private readonly agent: HttpAgent;
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;

  /**
   * @param client the S3 client whose credentials and hash sign the requests (see createS3Client)
   * @param settings where the storage is (endpoint, region, bucket, addressing, timeouts: as the client has them)
   * @param attempts how many times a GET is tried on a connection failure or 5xx before its body starts (default 3, as
   *   the SDK's standard retry strategy)
   */
  constructor(client: S3Client, private readonly settings: S3Settings, private readonly attempts = DEFAULT_ATTEMPTS) {
    this.signer = new SignatureV4({
      credentials: client.config.credentials, region: settings.region, sha256: client.config.sha256, service: 's3',
      // S3 signs the path as sent: each key segment is encoded once, here, never twice.
      uriEscapePath: false, applyChecksum: false,
    });
    // Without an endpoint, AWS S3 itself, addressed by bucket name as the SDK does by default.
    this.endpoint = new URL(settings.endpoint || `https://s3.${settings.region}.amazonaws.com`);
    this.pathStyle = settings.forcePathStyle;
    this.agent = this.endpoint.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, maxSockets: 50 }) : new HttpAgent({ keepAlive: true, maxSockets: 50 });
    this.connectTimeoutMs = settings.connectTimeoutMs ?? 5_000;
    this.requestTimeoutMs = settings.requestTimeoutMs ?? 30_000;
  }

  /** GETs the object under `key`; throws a {@link StorageReadError} for any answer but 2xx (404: no such object). */
  async get(key: string, options: ReadOptions = {}): Promise<ObjectResponse> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.getOnce(key, options);
      } catch (error) {
        const status = (error as StorageReadError).$metadata?.httpStatusCode;
        const transient = status === undefined || status >= 500;
        if (!transient || attempt >= this.attempts || options.signal?.aborted) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** (attempt - 1)));
      }
    }
  }

  /** Closes the kept-alive connections. */
  destroy(): void {
    this.agent.destroy();
  }

  private async getOnce(key: string, options: ReadOptions): Promise<ObjectResponse> {
    const hostname = this.pathStyle ? this.endpoint.hostname : `${this.settings.bucket}.${this.endpoint.hostname}`;
    const host = this.endpoint.port ? `${hostname}:${this.endpoint.port}` : hostname;
    const base = this.endpoint.pathname.replace(/\/$/, '');
    const path = `${base}${this.pathStyle ? `/${encodeSegment(this.settings.bucket)}` : ''}/${key.split('/').map(encodeSegment).join('/')}`;
    const headers: Record<string, string> = { host, 'x-amz-content-sha256': EMPTY_BODY_SHA256 };
    if (options.range) headers.range = `bytes=${options.range.start}-${options.range.end}`;
    const signed = await this.signer.sign({
      method: 'GET', protocol: this.endpoint.protocol, hostname, path, query: {}, headers,
      ...(this.endpoint.port ? { port: Number(this.endpoint.port) } : {}),
    });
    const send = this.endpoint.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<ObjectResponse>((resolve, reject) => {
      const request = send({
        // Virtual-hosted addressing connects to the bucket's own host name, as the SDK does (and TLS names it).
        agent: this.agent, protocol: this.endpoint.protocol, hostname, port: this.endpoint.port || undefined,
        method: 'GET', path, headers: signed.headers, ...(options.signal ? { signal: options.signal } : {}),
      });
      let connectTimer: NodeJS.Timeout | undefined;
      request.on('socket', (socket) => {
        if (!socket.connecting) return;
        connectTimer = setTimeout(() => request.destroy(new StorageReadError('TimeoutError', `No connection to the storage within ${this.connectTimeoutMs} ms.`)), this.connectTimeoutMs);
        socket.once('connect', () => clearTimeout(connectTimer));
      });
      // A storage that accepts the request but stops sending must not hold its caller: no byte for this long fails it.
      request.setTimeout(this.requestTimeoutMs, () => request.destroy(new StorageReadError('TimeoutError', `The storage sent nothing for ${this.requestTimeoutMs} ms.`)));
      request.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(connectTimer);
        reject(error instanceof StorageReadError || error.name === 'AbortError' ? error : new StorageReadError(error.code ?? error.name, error.message, undefined, error));
      });
      request.on('response', (response) => {
        clearTimeout(connectTimer);
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          resolve({ size: Number(response.headers['content-length'] ?? 0), etag: headerText(response.headers.etag), metadata: userMetadata(response.headers), body: response });
          return;
        }
        readErrorBody(response).then((text) => {
          const [, code] = /<Code>([^<]*)<\/Code>/.exec(text) ?? [];
          const [, message] = /<Message>([^<]*)<\/Message>/.exec(text) ?? [];
          reject(new StorageReadError(code || (status === 404 ? 'NotFound' : `Http${status}`), message || `The storage answered ${status}.`, status));
        }, reject);
      });
      request.end();
    });
  }
}

/**
 * One path segment, percent-encoded as SigV4 canonicalises it: every byte but the unreserved characters of RFC 3986
 * (`encodeURIComponent` leaves `!'()*` as they are, which S3 would sign encoded).
 */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(',') : value ?? '';
}

function userMetadata(headers: IncomingMessage['headers']): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = headerText(value);
  }
  return metadata;
}

/** The error answer's text, at most 16 KiB of it (an S3 error document is a few hundred bytes). */
async function readErrorBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    if (length < 16_384) chunks.push(chunk);
    length += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, 16_384);
}
