/**
 * A scripted server and storage for engine unit tests: they keep the parts they are sent, count what happens, and
 * fail when a test says so. End-to-end tests use the real server and storage instead.
 */
import { md5 } from 'hash-wasm';
import { base64ToHex } from '../../src/engine/put-with-retries.ts';
import type { FormPostRequest, PartPutRequest, PartTransport } from '../../src/engine/part-transport.ts';
import { storageError } from '../../src/engine/part-transport.ts';
import { AbortedError } from '../../src/engine/upload-error.ts';
import { ApiRequestError } from '../../src/protocol/api-error.ts';
import type {
  CompleteUploadRequest, CompletedUpload, ConfirmObjectRequest, CreateUploadRequest, CreatedUpload, SignObjectRequest,
  SignedObjectUrl, SignedPartUrl, StoredPart, UploadApi,
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
  /** Sizes of the batches confirmObjects was called with. */
  readonly confirmBatches: number[] = [];
  /** Sizes of the batches signParts was called with. */
  readonly partSignBatches: number[] = [];
  /** Storage requests by method: PUT (parts and objects) and POST (form uploads). */
  readonly storageRequests = { PUT: 0, POST: 0 };
  /** When false, PUT bodies are not read or kept (tests of scheduling with large Blobs). */
  keepBytes = true;
  /** When false, the transport has no `post` (like a transport that cannot send forms). */
  forms = true;
  /** When false, a form POST's answer names no ETag (as Ceph RGW's 204 does): the confirm compares the MD5. */
  postEtags = true;
  /** Decides whether a form POST (by key and attempt) stores corrupted bytes, as a broken proxy might. */
  tamperPost: (key: string, attempt: number) => boolean = () => false;
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
  /** Milliseconds each server call takes (a round trip). */
  callDelayMs = 0;
  /** Decides a server call's fate: return a status to fail it with, or undefined to answer it. */
  failCall: (name: string) => number | undefined = () => undefined;
  private nextUpload = 1;

  /** The server side. */
  readonly api: UploadApi = {
    createUpload: async (request: CreateUploadRequest): Promise<CreatedUpload> => {
      await this.call('create');
      const uploadId = `up-${this.nextUpload++}`;
      this.uploads.set(uploadId, { key: request.key, parts: new Map(), aborted: false, completed: false });
      const urls = request.parts?.map((p) => ({ partNumber: p.partNumber, url: `scripted://${uploadId}/${p.partNumber}`, headers: { 'Content-MD5': p.md5 }, expiresAt: '' }));
      return {
        uploadId, key: request.key, partSize: request.partSize, partCount: request.size === undefined ? null : Math.max(1, Math.ceil(request.size / request.partSize)),
        ...(urls ? { urls } : {}),
      };
    },
    signParts: async (uploadId: string, _key: string, parts: readonly { partNumber: number; md5: string }[]): Promise<SignedPartUrl[]> => {
      await this.call('sign');
      this.partSignBatches.push(parts.length);
      return parts.map((p) => ({ partNumber: p.partNumber, url: `scripted://${uploadId}/${p.partNumber}`, headers: { 'Content-MD5': p.md5 }, expiresAt: '' }));
    },
    listParts: async (uploadId: string): Promise<StoredPart[]> => {
      await this.call('list');
      const upload = this.uploads.get(uploadId);
      if (!upload || upload.aborted) throw new ApiRequestError('upload_not_found', 'gone', 404, false, { method: 'GET', url: '' });
      return [...upload.parts].map(([partNumber, bytes]) => ({ partNumber, etag: `"etag-${uploadId}-${partNumber}"`, size: bytes.length }));
    },
    completeUpload: async (uploadId: string, request: CompleteUploadRequest): Promise<CompletedUpload> => {
      await this.call('complete');
      const upload = this.uploads.get(uploadId)!;
      upload.completed = true;
      const size = request.parts.reduce((sum, p) => sum + (upload.parts.get(p.partNumber)?.length ?? 0), 0);
      return { key: request.key, size, etag: `"final-${uploadId}"`, sha256: request.sha256, category: '', status: size === request.size ? 'VALIDATING' : 'FAILED' };
    },
    abortUpload: async (uploadId: string): Promise<void> => {
      await this.call('abort');
      const upload = this.uploads.get(uploadId);
      if (upload) upload.aborted = true;
    },
    signObjects: async (objects: readonly SignObjectRequest[]): Promise<SignedObjectUrl[]> => {
      await this.call('sign-objects');
      this.signBatches.push(objects.length);
      return objects.map((o) => (o.form
        ? { key: o.key, url: 'scripted://form', fields: { key: o.key, 'Content-Type': o.contentType }, expiresAt: '' }
        : { key: o.key, url: `scripted://object/${encodeURIComponent(o.key)}`, headers: { 'Content-MD5': o.md5 }, expiresAt: '' }));
    },
    confirmObjects: async (objects: readonly ConfirmObjectRequest[]): Promise<CompletedUpload[]> => {
      await this.call('confirm-objects');
      this.confirmBatches.push(objects.length);
      return Promise.all(objects.map(async (o): Promise<CompletedUpload> => {
        const bytes = this.objects.get(o.key);
        const size = bytes?.length ?? -1;
        const report = { key: o.key, size, etag: `"object-${o.key}"`, sha256: o.sha256, category: '' };
        if (size !== o.size) return { ...report, status: 'FAILED', message: 'size differs' };
        // As the reference server does for an object sent by form: its MD5 must be the client's.
        if (o.md5 !== undefined && bytes && await md5(bytes) !== base64ToHex(o.md5)) {
          return { ...report, status: 'FAILED', reason: 'digest_mismatch', message: 'The storage holds other bytes than the client hashed.' };
        }
        return { ...report, status: 'VALIDATING' };
      }));
    },
  };

  /** The storage side: PUTs, and form POSTs unless `forms` is false. */
  get transport(): PartTransport {
    return this.forms ? { put: this.put, post: this.post } : { put: this.put };
  }

  /** A form POST of a whole object: stored under the form's key; the ETag is the MD5 of the bytes, as S3's is. */
  private readonly post = async (request: FormPostRequest, signal: AbortSignal): Promise<{ etag?: string }> => {
    const key = request.fields.key!;
    const attemptKey = `object#${key}`;
    const attempt = (this.putAttempts.get(attemptKey) ?? 0) + 1;
    this.putAttempts.set(attemptKey, attempt);
    this.storageRequests.POST++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, this.putDelayMs);
        signal.addEventListener('abort', () => { clearTimeout(timer); reject(new AbortedError()); }, { once: true });
      });
      const fate = this.failPut('object', 0, attempt);
      if (fate) {
        const { status, code = `Scripted${typeof fate === 'number' ? fate : fate.status}` } = typeof fate === 'number' ? { status: fate } : fate;
        throw storageError(status, `<Error><Code>${code}</Code></Error>`, { method: 'POST', url: request.url });
      }
      const bytes = new Uint8Array(await request.body.arrayBuffer());
      if (this.tamperPost(key, attempt) && bytes.length > 0) bytes[0] = bytes[0]! ^ 0xff;
      this.objects.set(key, bytes);
      return this.postEtags ? { etag: `"${await md5(bytes)}"` } : {};
    } finally {
      this.inFlight--;
    }
  };

  private readonly put = async (request: PartPutRequest, onProgress: (sent: number) => void, signal: AbortSignal) => {
      this.storageRequests.PUT++;
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
        const bytes = this.keepBytes ? new Uint8Array(await request.body.arrayBuffer()) : new Uint8Array(request.body.size);
        if (uploadId === 'object') this.objects.set(decodeURIComponent(number), bytes);
        else this.uploads.get(uploadId)!.parts.set(partNumber, bytes);
        onProgress(request.body.size);
        return { etag: `"etag-${uploadId}-${partNumber}"` };
      } finally {
        this.inFlight--;
      }
  };

  /** The bytes an upload's parts hold, in part order. */
  async assembled(uploadId: string): Promise<Uint8Array<ArrayBuffer>> {
    const parts = [...this.uploads.get(uploadId)!.parts].sort(([a], [b]) => a - b).map(([, bytes]) => bytes);
    return new Uint8Array(await new Blob(parts).arrayBuffer());
  }

  private async call(name: string): Promise<void> {
    this.calls.push(name);
    if (this.callDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.callDelayMs));
    const status = this.failCall(name);
    if (status) throw new ApiRequestError(`http_${status}`, `scripted ${status}`, status, status >= 502, { method: 'POST', url: name });
  }
}
