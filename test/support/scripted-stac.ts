/**
 * A scripted STAC API (the asset-upload wire, answered from memory through a fetch function) and a scripted storage
 * (a PartTransport that checks Content-MD5 and URL expiry), for unit tests of the STAC adapter and the engine's
 * signs-at-create flow: they count every call and fail the ones a test names. End-to-end tests use the real server
 * and Ceph RGW instead.
 */
import { createHash } from 'node:crypto';
import type { PartPutRequest, PartTransport } from '../../src/engine/part-transport.ts';
import { storageError } from '../../src/engine/part-transport.ts';
import { AbortedError } from '../../src/engine/upload-error.ts';
import type { HashedPart, PartDigest, PartHasher } from '../../src/worker/hash-pool.ts';

/** One upload held by the scripted API. */
export interface ScriptedStacUpload {
  readonly id: string;
  readonly path: string;
  status: 'in-progress' | 'completed' | 'aborted';
  readonly md5s: string[];
  readonly checksum: string;
  readonly expires: number;
  readonly parts: Map<number, { etag: string; bytes: Buffer }>;
}

/** A request the scripted API saw. */
export interface SeenCall {
  /** create, list-uploads, get-upload, list-parts, complete, abort, get-asset. */
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly body: any;
  readonly authorization: string | null;
  /** The status answered. */
  status: number;
}

/** What a failed call answers: a status and, optionally, the body to send. */
export type ScriptedFault = number | { status: number; body?: unknown };

const BASE = 'http://stac.test/stac/v1';

/** The scripted STAC API and storage. */
export class ScriptedStac {
  /** The API's base URL. */
  readonly base = BASE;
  readonly uploads = new Map<string, ScriptedStacUpload>();
  readonly calls: SeenCall[] = [];
  /** Storage PUTs: `uploadId#part` -> attempts. */
  readonly putAttempts = new Map<string, number>();
  /** Answer a second create with 400 and no upload_id, as older servers do. */
  legacyConflict = false;
  /** How long the part URLs are valid. */
  urlTtlMs = 3600_000;
  /** Parts per page of `GET …/parts`. */
  partsPageSize = 2;
  /** Decides a call's fate by name and how many calls of that name came before (0-based). */
  failCall: (name: string, attempt: number) => ScriptedFault | undefined = () => undefined;
  /** Decides a PUT's fate: a status (with an S3 code) to fail it with, or undefined to store it. */
  failPut: (uploadId: string, partNumber: number, attempt: number) => number | { status: number; code?: string } | undefined = () => undefined;
  /** Milliseconds each PUT takes. */
  putDelayMs = 2;
  /** The asset's file:checksum and file:size after complete, by path. */
  readonly assets = new Map<string, { checksum: string; size: number }>();
  /** Decides what `GET` of an asset answers (e.g. a tampered checksum). */
  assetOverride: ((path: string) => unknown) | undefined;
  private nextId = 1;

  /** The fetch the adapter is given. */
  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    const method = init.method ?? 'GET';
    const path = url.pathname.slice(new URL(BASE).pathname.length + 1);
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const headers = new Headers(init.headers);
    const name = this.routeName(method, path);
    const seen: SeenCall = { name, method, path: `${path}${url.search}`, body, authorization: headers.get('authorization'), status: 0 };
    this.calls.push(seen);
    const before = this.calls.filter((c) => c.name === name).length - 1;
    const fault = this.failCall(name, before);
    const answer = (status: number, json?: unknown) => {
      seen.status = status;
      return new Response(json === undefined ? null : JSON.stringify(json), { status, headers: { 'content-type': 'application/json' } });
    };
    if (fault !== undefined) {
      const { status, body: faultBody } = typeof fault === 'number' ? { status: fault, body: undefined } : fault;
      return answer(status, faultBody ?? { code: status, description: `Scripted ${status}` });
    }
    return this.handle(name, path, url, body, answer);
  };

  private routeName(method: string, path: string): string {
    if (method === 'POST' && /\/uploads$/.test(path)) return 'create';
    if (method === 'GET' && /\/uploads$/.test(path)) return 'list-uploads';
    if (method === 'GET' && /\/uploads\/[^/]+\/parts$/.test(path)) return 'list-parts';
    if (method === 'GET' && /\/uploads\/[^/]+$/.test(path)) return 'get-upload';
    if (method === 'POST' && /\/complete$/.test(path)) return 'complete';
    if (method === 'POST' && /\/abort$/.test(path)) return 'abort';
    if (method === 'GET' && /\/assets\/[^/]+$/.test(path)) return 'get-asset';
    return `${method} ${path}`;
  }

  private handle(name: string, path: string, url: URL, body: any, answer: (status: number, json?: unknown) => Response): Response {
    const assetPath = path.replace(/\/uploads.*$/, '');
    const id = decodeURIComponent(/\/uploads\/([^/]+)/.exec(path)?.[1] ?? '');
    const upload = this.uploads.get(id);
    switch (name) {
      case 'create': {
        const current = [...this.uploads.values()].find((u) => u.path === assetPath && u.status === 'in-progress');
        if (current) {
          return this.legacyConflict
            ? answer(400, { code: 400, description: 'Upload already in progress' })
            : answer(409, { code: 409, description: 'Upload already in progress', upload_id: current.id });
        }
        if (!Number.isInteger(body.number_parts) || body.number_parts < 1 || body.number_parts > 100 || body.md5_parts?.length !== body.number_parts
          || !/^1220[0-9a-f]{64}$/.test(body['file:checksum'])) {
          return answer(400, { code: 400, description: { number_parts: ['Scripted: the create body is malformed.'] } });
        }
        const created: ScriptedStacUpload = {
          id: `upload-${this.nextId++}`, path: assetPath, status: 'in-progress', md5s: body.md5_parts.map((p: { md5: string }) => p.md5),
          checksum: body['file:checksum'], expires: Date.now() + this.urlTtlMs, parts: new Map(),
        };
        this.uploads.set(created.id, created);
        const expires = new Date(created.expires).toISOString();
        return answer(201, {
          upload_id: created.id, status: 'in-progress', number_parts: body.number_parts, 'file:checksum': created.checksum,
          urls: created.md5s.map((_, i) => ({ url: `scripted://${created.id}/${i + 1}`, part: i + 1, expires })),
        });
      }
      case 'list-uploads': {
        const status = url.searchParams.get('status');
        return answer(200, { uploads: [...this.uploads.values()].filter((u) => u.path === assetPath && (!status || u.status === status)).map((u) => ({ upload_id: u.id, status: u.status })), links: [] });
      }
      case 'get-upload':
        return upload ? answer(200, { upload_id: upload.id, status: upload.status, number_parts: upload.md5s.length }) : answer(404, { code: 404, description: 'Not found.' });
      case 'list-parts': {
        if (!upload) return answer(404, { code: 404, description: 'Not found.' });
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const all = [...upload.parts].sort(([a], [b]) => a - b);
        const page = all.slice(offset, offset + this.partsPageSize);
        const more = offset + this.partsPageSize < all.length;
        return answer(200, {
          parts: page.map(([n, p]) => ({ part_number: n, etag: p.etag, size: p.bytes.length, modified: new Date().toISOString() })),
          links: more ? [{ rel: 'next', href: `${BASE}/${path}?offset=${offset + this.partsPageSize}` }] : [],
        });
      }
      case 'complete': {
        if (!upload || upload.status !== 'in-progress') return answer(409, { code: 409, description: 'No upload in progress' });
        const parts: { etag: string; part_number: number }[] = body.parts;
        if (parts.length < upload.md5s.length) return answer(400, { code: 400, description: 'Too few parts' });
        if (parts.length > upload.md5s.length) return answer(400, { code: 400, description: 'Too many parts' });
        if (parts.some((p) => upload.parts.get(p.part_number)?.etag !== p.etag)) return answer(400, { code: 400, description: 'Invalid ETag' });
        upload.status = 'completed';
        this.assets.set(upload.path, { checksum: upload.checksum, size: this.assembled(upload.id).length });
        return answer(200, { upload_id: upload.id, status: 'completed', number_parts: upload.md5s.length, 'file:checksum': upload.checksum });
      }
      case 'abort':
        if (!upload || upload.status !== 'in-progress') return answer(409, { code: 409, description: 'No upload in progress' });
        upload.status = 'aborted';
        upload.parts.clear();
        return answer(200, { upload_id: upload.id, status: 'aborted' });
      case 'get-asset': {
        if (this.assetOverride) return answer(200, this.assetOverride(path));
        const asset = this.assets.get(path);
        return answer(200, { id: path.split('/').pop(), ...(asset ? { 'file:checksum': asset.checksum, 'file:size': asset.size } : {}) });
      }
      default:
        return answer(404, { code: 404, description: `No route ${name}` });
    }
  }

  /** The stored object of an upload: its parts in order. */
  assembled(uploadId: string): Buffer {
    const upload = this.uploads.get(uploadId)!;
    return Buffer.concat([...upload.parts].sort(([a], [b]) => a - b).map(([, p]) => p.bytes));
  }

  /** Calls by name, in order. */
  named(name: string): SeenCall[] {
    return this.calls.filter((c) => c.name === name);
  }

  /** The storage: PUTs to `scripted://<upload>/<part>`, checking the URL's expiry and the Content-MD5. */
  readonly transport: PartTransport = {
    put: async (request: PartPutRequest, onProgress: (sent: number) => void, signal: AbortSignal) => {
      const [id, part] = request.url.replace('scripted://', '').split('/') as [string, string];
      const partNumber = Number(part);
      const key = `${id}#${partNumber}`;
      const attempt = (this.putAttempts.get(key) ?? 0) + 1;
      this.putAttempts.set(key, attempt);
      const described = { method: 'PUT', url: request.url };
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, this.putDelayMs);
        signal.addEventListener('abort', () => { clearTimeout(timer); reject(new AbortedError()); }, { once: true });
      });
      const upload = this.uploads.get(id);
      if (!upload || Date.now() >= upload.expires) throw storageError(403, '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>', described);
      const fate = this.failPut(id, partNumber, attempt);
      if (fate !== undefined) {
        const { status, code = `Scripted${typeof fate === 'number' ? fate : fate.status}` } = typeof fate === 'number' ? { status: fate } : fate;
        throw storageError(status, `<Error><Code>${code}</Code></Error>`, described);
      }
      if (upload.status !== 'in-progress') throw storageError(404, '<Error><Code>NoSuchUpload</Code></Error>', described);
      const bytes = Buffer.from(await request.body.arrayBuffer());
      const md5 = createHash('md5').update(bytes).digest('base64');
      if (request.headers['Content-MD5'] !== md5 || upload.md5s[partNumber - 1] !== md5) {
        throw storageError(400, '<Error><Code>BadDigest</Code></Error>', described);
      }
      onProgress(bytes.length);
      const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
      upload.parts.set(partNumber, { etag, bytes });
      return { etag };
    },
  };
}

/** A PartHasher in this thread (node:crypto): for unit tests, where worker threads would only add start-up time. */
export class InThreadHasher implements PartHasher {
  private readonly sessions = new Map<string, ReturnType<typeof createHash>>();
  /** Parts hashed through `hashPart`, and blobs through `md5`. */
  readonly counts = { hashPart: 0, md5: 0 };

  /** {@inheritDoc PartHasher.hashPart} */
  hashPart(session: string, blob: Blob): HashedPart {
    this.counts.hashPart++;
    const hash = this.sessions.get(session) ?? createHash('sha256');
    this.sessions.set(session, hash);
    const bytes = blob.arrayBuffer().then((buffer) => Buffer.from(buffer));
    // In order: each update waits for the ones posted before it.
    const fed = (this.chain = this.chain.then(async () => { hash.update(await bytes); }));
    return { md5: bytes.then((b) => ({ md5: createHash('md5').update(b).digest('base64'), bytes: b.length })), sha256: fed.then(() => undefined) };
  }

  private chain: Promise<void> = Promise.resolve();

  /** {@inheritDoc PartHasher.md5} */
  async md5(blob: Blob): Promise<PartDigest> {
    this.counts.md5++;
    const bytes = Buffer.from(await blob.arrayBuffer());
    return { md5: createHash('md5').update(bytes).digest('base64'), bytes: bytes.length };
  }

  /** {@inheritDoc PartHasher.sha256Update} */
  async sha256Update(session: string, blob: Blob): Promise<undefined> {
    await this.hashPart(session, blob).sha256;
    return undefined;
  }

  /** Not kept by this hasher. */
  async sha256Restore(): Promise<void> {
    throw new Error('InThreadHasher keeps no state');
  }

  /** {@inheritDoc PartHasher.sha256Finish} */
  async sha256Finish(session: string): Promise<string> {
    await this.chain;
    const hash = this.sessions.get(session) ?? createHash('sha256');
    this.sessions.delete(session);
    return hash.digest('hex');
  }

  /** {@inheritDoc PartHasher.discard} */
  discard(session: string): void {
    this.sessions.delete(session);
  }
}
