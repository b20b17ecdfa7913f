/**
 * A scripted server and storage for engine unit tests: they keep the parts they are sent, count what happens, and
 * fail when a test says so. End-to-end tests use the real server and storage instead.
 */
import type { PartPutRequest, PartTransport } from '../../src/engine/part-transport.ts';
import { storageError } from '../../src/engine/part-transport.ts';
import { AbortedError } from '../../src/engine/upload-error.ts';
import { ApiRequestError } from '../../src/protocol/api-error.ts';
import type {
  CompleteUploadRequest, CompletedUpload, CreateUploadRequest, CreatedUpload, SignObjectRequest, SignedObjectUrl, SignedPartUrl,
  StoredPart, UploadApi,
} from '../../src/protocol/upload-api.ts';

/** One multipart upload held by the scripted storage. */
interface ScriptedUpload {
  key: string;
  parts: Map<number, Uint8Array<ArrayBuffer>>;
  aborted: boolean;
  completed: boolean;
}

/** Shared state of the scripted server and storage. */
export class ScriptedNetwork {
  /** Uploads by id. */
  readonly uploads = new Map<string, ScriptedUpload>();
  /** Objects stored by single PUTs, by key. */
  readonly objects = new Map<string, Uint8Array<ArrayBuffer>>();
  /** Sizes of the batches signObjects was called with. */
  readonly signBatches: number[] = [];
  /** Every server call, by name. */
  readonly calls: string[] = [];
  /** PUTs in flight now, and the most seen at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** PUT attempts per `uploadId#partNumber`. */
  readonly putAttempts = new Map<string, number>();
  /** Milliseconds each PUT takes. */
  putDelayMs = 5;
  /** Decides a PUT's fate: a status (with an S3 error code and a Retry-After) to fail it with, or undefined to store it. */
  failPut: (uploadId: string, partNumber: number, attempt: number) => number | { status: number; code?: string; retryAfterSeconds?: number } | undefined = () => undefined;
  /** When each PUT attempt started (ms), per `uploadId#partNumber`. */
  readonly putTimes = new Map<string, number[]>();
  /** Decides a server call's fate: return a status to fail it with, or undefined to answer it. */
  failCall: (name: string) => number | undefined = () => undefined;
  private nextUpload = 1;

  /** The server side. */
  readonly api: UploadApi = {
    createUpload: async (request: CreateUploadRequest): Promise<CreatedUpload> => {
      this.call('create');
      const uploadId = `up-${this.nextUpload++}`;
      this.uploads.set(uploadId, { key: request.key, parts: new Map(), aborted: false, completed: false });
      return { uploadId, key: request.key, partSize: request.partSize, partCount: request.size === undefined ? null : Math.max(1, Math.ceil(request.size / request.partSize)) };
    },
    signParts: async (uploadId: string, _key: string, parts: readonly { partNumber: number; md5: string }[]): Promise<SignedPartUrl[]> => {
      this.call('sign');
      return parts.map((p) => ({ partNumber: p.partNumber, url: `scripted://${uploadId}/${p.partNumber}`, headers: { 'Content-MD5': p.md5 }, expiresAt: '' }));
    },
    listParts: async (uploadId: string): Promise<StoredPart[]> => {
      this.call('list');
      const upload = this.uploads.get(uploadId);
      if (!upload || upload.aborted) throw new ApiRequestError('upload_not_found', 'gone', 404, false, { method: 'GET', url: '' });
      return [...upload.parts].map(([partNumber, bytes]) => ({ partNumber, etag: `"etag-${uploadId}-${partNumber}"`, size: bytes.length }));
    },
    completeUpload: async (uploadId: string, request: CompleteUploadRequest): Promise<CompletedUpload> => {
      this.call('complete');
      const upload = this.uploads.get(uploadId)!;
      upload.completed = true;
      const size = request.parts.reduce((sum, p) => sum + (upload.parts.get(p.partNumber)?.length ?? 0), 0);
      return { key: request.key, size, etag: `"final-${uploadId}"`, sha256: request.sha256, category: '', status: size === request.size ? 'VALIDATING' : 'FAILED' };
    },
    abortUpload: async (uploadId: string): Promise<void> => {
      this.call('abort');
      const upload = this.uploads.get(uploadId);
      if (upload) upload.aborted = true;
    },
    signObjects: async (objects: readonly SignObjectRequest[]): Promise<SignedObjectUrl[]> => {
      this.call('sign-objects');
      this.signBatches.push(objects.length);
      return objects.map((o) => ({ key: o.key, url: `scripted://object/${encodeURIComponent(o.key)}`, headers: { 'Content-MD5': o.md5 }, expiresAt: '' }));
    },
    confirmObjects: async (objects: readonly { key: string; size: number; sha256: string }[]): Promise<CompletedUpload[]> => {
      this.call('confirm-objects');
      return objects.map((o) => {
        const size = this.objects.get(o.key)?.length ?? -1;
        return { key: o.key, size, etag: `"object-${o.key}"`, sha256: o.sha256, category: '', status: size === o.size ? 'VALIDATING' : 'FAILED' };
      });
    },
  };

  /** The storage side. */
  readonly transport: PartTransport = {
    put: async (request: PartPutRequest, onProgress: (sent: number) => void, signal: AbortSignal) => {
      const [uploadId, number] = request.url.replace('scripted://', '').split(/\/(.*)/s) as [string, string];
      const partNumber = Number(number);
      const attemptKey = `${uploadId}#${partNumber}`;
      const attempt = (this.putAttempts.get(attemptKey) ?? 0) + 1;
      this.putAttempts.set(attemptKey, attempt);
      this.putTimes.set(attemptKey, [...(this.putTimes.get(attemptKey) ?? []), performance.now()]);
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      try {
        onProgress(Math.floor(request.body.size / 2));
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, this.putDelayMs);
          signal.addEventListener('abort', () => { clearTimeout(timer); reject(new AbortedError()); }, { once: true });
        });
        const fate = this.failPut(uploadId, partNumber, attempt);
        if (fate) {
          const { status, code = `Scripted${typeof fate === 'number' ? fate : fate.status}`, retryAfterSeconds } = typeof fate === 'number' ? { status: fate } : fate;
          throw storageError(status, `<Error><Code>${code}</Code></Error>`, { method: 'PUT', url: request.url }, retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000);
        }
        const bytes = new Uint8Array(await request.body.arrayBuffer());
        if (uploadId === 'object') this.objects.set(decodeURIComponent(number), bytes);
        else this.uploads.get(uploadId)!.parts.set(partNumber, bytes);
        onProgress(request.body.size);
        return { etag: `"etag-${uploadId}-${partNumber}"` };
      } finally {
        this.inFlight--;
      }
    },
  };

  /** The bytes an upload's parts hold, in part order. */
  async assembled(uploadId: string): Promise<Uint8Array<ArrayBuffer>> {
    const parts = [...this.uploads.get(uploadId)!.parts].sort(([a], [b]) => a - b).map(([, bytes]) => bytes);
    return new Uint8Array(await new Blob(parts).arrayBuffer());
  }

  private call(name: string): void {
    this.calls.push(name);
    const status = this.failCall(name);
    if (status) throw new ApiRequestError(`http_${status}`, `scripted ${status}`, status, status >= 502, { method: 'POST', url: name });
  }
}
