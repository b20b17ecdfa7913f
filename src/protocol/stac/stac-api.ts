/**
 * The STAC API's asset upload (the transaction extension as data.geo.admin.ch runs it) as an {@link UploadApi}: the
 * engine's object key is the asset's path (`collections/{c}/items/{i}/assets/{a}` or `collections/{c}/assets/{a}`),
 * or the endpoint is one asset's URL and every upload goes to it.
 *
 * Wire (docs/protocol.md, "STAC asset upload"):
 * - create `POST {asset}/uploads` `{number_parts, md5_parts: [{part_number, md5}], "file:checksum": "1220" + sha256}`
 *   -> 201 `{upload_id, status, number_parts, urls: [{url, part, expires}]}`: every part is signed here, and only here
 *   (the capability SignsAtCreate);
 * - the parts go to those URLs with their Content-MD5 (the engine's transport);
 * - complete `POST {asset}/uploads/{id}/complete` `{parts: [{etag, part_number}]}`; abort `POST …/abort`;
 * - `GET {asset}/uploads?status=in-progress`, `GET …/uploads/{id}`, `GET …/uploads/{id}/parts` read.
 * A second create while one is in progress answers 409 (older servers 400) "Upload already in progress" with its
 * `upload_id`: with take-over this adapter lists the uploads in progress, aborts them and creates again; without, it
 * fails naming the upload id. Which answers are retried is in stac-failures.ts.
 */
import { ApiRequestError } from '../api-error.ts';
import { sendJson } from '../send-json.ts';
import type { TokenSource } from '../dropoff-api.ts';
import type {
  CompleteUploadRequest, CompletedUpload, CreateUploadRequest, CreatedUpload, SignedPartUrl, StoredPart, UploadApi,
} from '../upload-api.ts';
import { assetPath, parseAssetPath, splitEndpoint, type StacAssetRef } from './stac-asset-path.ts';
import { authorization, type BasicCredentials } from './stac-auth.ts';
import { STAC_SIGNS_AT_CREATE } from './stac-capability.ts';
import { describe, stacFailure } from './stac-failures.ts';

/** Most times a create is tried again after taking over uploads in progress (another client may keep starting them). */
const TAKE_OVER_ATTEMPTS = 3;

/** Options of {@link StacApi}. */
export interface StacApiOptions {
  /**
   * The STAC API's base URL (e.g. `https://data.geo.admin.ch/api/stac/v1`), or the URL of one asset
   * (`…/collections/{c}/items/{i}/assets/{a}`), to which every upload then goes whatever its key. Required.
   */
  readonly endpoint: string;
  /** Bearer token, or a function returning one before every call (newer deployments). */
  readonly token?: TokenSource;
  /** HTTP Basic user and password (older deployments); wins over `token`. */
  readonly basic?: BasicCredentials;
  /** The fetch implementation. Default: the global fetch. */
  readonly fetch?: typeof fetch;
}

/** One upload as `GET …/uploads` lists it. */
interface WireUpload {
  readonly upload_id: string;
  readonly status: string;
}

/** An {@link UploadApi} over the STAC API's asset upload. */
export class StacApi implements UploadApi {
  /** {@inheritDoc UploadApi.signsAtCreate} */
  readonly signsAtCreate = STAC_SIGNS_AT_CREATE;
  /** The API's base URL, without a trailing `/`. */
  readonly base: string;
  /** The asset every upload goes to, when the endpoint named one. */
  readonly asset: StacAssetRef | undefined;
  private readonly fetchImpl: typeof fetch;

  /** @param options see {@link StacApiOptions} */
  constructor(private readonly options: StacApiOptions) {
    const { base, asset } = splitEndpoint(options.endpoint);
    this.base = base;
    this.asset = asset;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /**
   * {@inheritDoc UploadApi.createUpload} Needs `parts` (every part's MD5) and `sha256`. With `takeOver`, uploads of the
   * asset in progress are aborted first when the server says there is one.
   */
  async createUpload(request: CreateUploadRequest, signal?: AbortSignal): Promise<CreatedUpload> {
    const path = this.pathOf(request.key);
    const parts = request.parts ?? [];
    if (!request.sha256 || parts.length === 0) {
      throw new ApiRequestError('invalid_request', 'A STAC asset upload needs the MD5 of every part and the SHA-256 of the whole file when it is created.', 0, false, { method: 'POST', url: `${this.base}/${path}/uploads` }, undefined, undefined, undefined, 'invalid');
    }
    const body = {
      number_parts: parts.length,
      md5_parts: parts.map((p) => ({ part_number: p.partNumber, md5: p.md5 })),
      'file:checksum': `1220${request.sha256}`,
    };
    for (let attempt = 1; ; attempt++) {
      try {
        const created = await this.call<{ upload_id: string; number_parts?: number; urls?: { url: string; part: number; expires: string }[] }>('POST', `${path}/uploads`, body, signal);
        const md5s = new Map(parts.map((p) => [p.partNumber, p.md5]));
        const urls: SignedPartUrl[] = (created.urls ?? []).map((u) => {
          const md5 = md5s.get(u.part);
          const headers: Record<string, string> = md5 ? { 'Content-MD5': md5 } : {};
          return { partNumber: u.part, url: u.url, expiresAt: u.expires, headers };
        });
        return { uploadId: created.upload_id, key: request.key, partSize: request.partSize, partCount: created.number_parts ?? parts.length, urls };
      } catch (error) {
        if (!(error instanceof ApiRequestError) || error.code !== 'upload_in_progress') throw error;
        const inProgress = await this.uploadsInProgress(path, error, signal);
        if (!request.takeOver || attempt >= TAKE_OVER_ATTEMPTS) {
          const ids = inProgress.length ? inProgress.join(', ') : 'unknown';
          throw new ApiRequestError('upload_in_progress', request.takeOver
            ? `Another upload of ${path} was started again each time one was taken over (upload id ${ids}); something else keeps uploading to this asset.`
            : `Another upload of ${path} is already in progress (upload id ${ids}). Let it finish, or upload with take-over to abort it and start again.`,
          error.status, false, error.request, error.responseBody, { cause: error }, undefined, 'conflict');
        }
        for (const uploadId of inProgress) await this.abortAt(path, uploadId, signal);
      }
    }
  }

  /** Never called: a STAC upload signs every part at create ({@link signsAtCreate}). */
  async signParts(): Promise<SignedPartUrl[]> {
    throw new ApiRequestError('not_supported', 'The STAC asset upload signs every part when the upload is created; it cannot sign parts later.', 0, false, { method: 'POST', url: this.base }, undefined, undefined, undefined, 'not_supported');
  }

  /**
   * {@inheritDoc UploadApi.listParts} An upload the server no longer has in progress (completed, aborted, unknown)
   * fails with kind `not_found`.
   */
  async listParts(uploadId: string, key: string, signal?: AbortSignal): Promise<StoredPart[]> {
    const uploadPath = `${this.pathOf(key)}/uploads/${encodeURIComponent(uploadId)}`;
    const upload = await this.call<WireUpload>('GET', uploadPath, undefined, signal);
    if (upload.status !== 'in-progress') {
      throw new ApiRequestError('no_upload_in_progress', `Upload ${uploadId} is ${upload.status}, no longer in progress.`, 404, false, { method: 'GET', url: `${this.base}/${uploadPath}` }, undefined, undefined, undefined, 'not_found');
    }
    const parts: StoredPart[] = [];
    let next: string | undefined = `${this.base}/${uploadPath}/parts`;
    // Pages follow the `next` links; 100 parts at most, so a few pages at most (the bound stops a server that loops).
    for (let page = 0; next && page < 100; page++) {
      const answer: { parts?: { etag: string; part_number: number; size: number }[]; links?: { rel: string; href: string }[] } = await this.call('GET', next, undefined, signal);
      for (const p of answer.parts ?? []) parts.push({ partNumber: p.part_number, etag: p.etag, size: p.size });
      next = answer.links?.find((l) => l.rel === 'next')?.href;
    }
    return parts;
  }

  /**
   * {@inheritDoc UploadApi.completeUpload} Then reads the asset back: its `file:checksum` (and `file:size`, where the
   * server keeps it) must be the file's, or the upload is reported FAILED. A complete answered "No upload in progress"
   * is one whose earlier try completed the upload but lost its answer (the engine retried it) when the upload reads
   * `completed`: the asset is then read back as after any complete.
   */
  async completeUpload(uploadId: string, request: CompleteUploadRequest, signal?: AbortSignal): Promise<CompletedUpload> {
    const path = this.pathOf(request.key);
    const uploadPath = `${path}/uploads/${encodeURIComponent(uploadId)}`;
    try {
      await this.call('POST', `${uploadPath}/complete`, {
        parts: request.parts.map((p) => ({ etag: p.etag, part_number: p.partNumber })),
      }, signal);
    } catch (error) {
      if (!(error instanceof ApiRequestError) || error.code !== 'no_upload_in_progress') throw error;
      const upload = await this.call<WireUpload>('GET', uploadPath, undefined, signal).catch(() => undefined);
      if (upload?.status !== 'completed') throw error;
    }
    const report = { key: request.key, size: request.size, etag: '', sha256: request.sha256, category: '' };
    let asset: { 'file:checksum'?: string; 'file:size'?: number };
    try {
      asset = await this.call('GET', path, undefined, signal);
    } catch {
      // Completed, but the asset could not be read back: the server's own checks still hold.
      return { ...report, status: 'VALIDATING' };
    }
    const checksum = asset['file:checksum']?.toLowerCase();
    if (checksum !== undefined && checksum !== `1220${request.sha256}`) {
      return { ...report, status: 'FAILED', message: `The asset's file:checksum is ${checksum}, not the file's 1220${request.sha256}.` };
    }
    const size = asset['file:size'];
    if (typeof size === 'number' && size !== request.size) {
      return { ...report, size, status: 'FAILED', message: `The asset's file:size is ${size} bytes, not the file's ${request.size}.` };
    }
    return { ...report, status: 'ACCEPTED' };
  }

  /** {@inheritDoc UploadApi.abortUpload} An upload no longer in progress is left as it is. */
  async abortUpload(uploadId: string, key: string, signal?: AbortSignal): Promise<void> {
    await this.abortAt(this.pathOf(key), uploadId, signal);
  }

  /** Ids of the asset's uploads in progress: the list the server gives, else the id its conflict answer named. */
  private async uploadsInProgress(path: string, conflict: ApiRequestError, signal: AbortSignal | undefined): Promise<string[]> {
    const listed = await this.call<{ uploads?: WireUpload[] }>('GET', `${path}/uploads?status=in-progress`, undefined, signal);
    const ids = (listed.uploads ?? []).filter((u) => u.status === 'in-progress').map((u) => u.upload_id);
    if (ids.length) return ids;
    try {
      const named = (JSON.parse(conflict.responseBody ?? '{}') as { upload_id?: unknown }).upload_id;
      return typeof named === 'string' ? [named] : [];
    } catch {
      return [];
    }
  }

  private async abortAt(path: string, uploadId: string, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.call('POST', `${path}/uploads/${encodeURIComponent(uploadId)}/abort`, undefined, signal);
    } catch (error) {
      if (!(error instanceof ApiRequestError) || error.kind !== 'not_found') throw error;
    }
  }

  /** The asset path for an upload's key: the endpoint's asset when it named one, else the key itself. */
  private pathOf(key: string): string {
    const asset = this.asset ?? parseAssetPath(key);
    if (!asset) {
      throw new ApiRequestError('invalid_asset_path', `"${key}" is not a STAC asset path: expected collections/{collection}/items/{item}/assets/{asset} or collections/{collection}/assets/{asset}.`, 0, false, { method: 'POST', url: this.base }, undefined, undefined, undefined, 'invalid');
    }
    return assetPath(asset);
  }

  /** One call to the API (`target` a path below the base, or an absolute URL); its error answers mapped. */
  private async call<T>(method: string, target: string, body: unknown, signal: AbortSignal | undefined): Promise<T> {
    const url = /^https?:\/\//.test(target) ? target : `${this.base}/${target}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    const credentials = this.options.basic ? { basic: this.options.basic } : this.options.token !== undefined ? { token: this.options.token } : undefined;
    const auth = await authorization(credentials);
    if (auth) headers.authorization = auth;
    const { response, text, request } = await sendJson(this.fetchImpl, method, url, headers, body, signal, `the STAC API at ${this.base}`);
    if (response.ok) {
      if (text === '') return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch (error) {
        throw new ApiRequestError('bad_response', `The STAC API answered ${method} ${url.split('?')[0]} with something that is not JSON.`, response.status, false, request, text, { cause: error });
      }
    }
    let description = '';
    try {
      description = describe((JSON.parse(text) as { description?: unknown }).description);
    } catch {
      // Not the API's JSON (a proxy's page): the status says it.
    }
    const failure = stacFailure(response.status, description);
    const what = `${method} ${url.split('?')[0]!.slice(this.base.length) || url.split('?')[0]}`;
    const message = `The STAC API answered ${response.status}${description ? ` "${description}"` : ` ${response.statusText}`} to ${what}.`
      + (failure.kind === 'unauthorized' ? ' Check the credentials (user and password, or token).' : '');
    throw new ApiRequestError(failure.code, message, response.status, failure.retryable, request, text, undefined,
      response.headers.get('Retry-After') ?? undefined, failure.kind);
  }
}
