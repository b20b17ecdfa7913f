/**
 * The dropoff JSON protocol over fetch(), with `Authorization: Bearer <token>` (docs/protocol.md).
 */
import { ApiRequestError } from './api-error.ts';
import { sendJson } from './send-json.ts';
import { dropoffFailureKind } from './dropoff-failures.ts';
import type { ObjectPage, RecordsApi, Submission, SubmissionSummary } from './records-api.ts';

import type {
  CompleteUploadRequest, CompletedUpload, ConfirmObjectRequest, CreateUploadRequest, CreatedUpload, SignObjectRequest,
  SignedObjectUrl, SignedPartUrl, StoredPart, UploadApi,
} from './upload-api.ts';

/** Where a token comes from: a fixed string, or a function called before every request (for refreshable tokens). */
export type TokenSource = string | (() => string | Promise<string>);

/** Options of {@link DropoffApi}. */
export interface DropoffApiOptions {
  /** Base URL of the server, e.g. `https://api.example.org/dropoff`. Required. */
  readonly endpoint: string;
  /** Bearer token, or a function returning one. Default: no Authorization header. */
  readonly token?: TokenSource;
  /** The fetch implementation. Default: the global fetch. */
  readonly fetch?: typeof fetch;
}

/** {@link UploadApi} and {@link RecordsApi} over the dropoff reference server's JSON protocol. */
export class DropoffApi implements UploadApi, RecordsApi {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;

  /** @param options see {@link DropoffApiOptions} */
  constructor(private readonly options: DropoffApiOptions) {
    this.base = options.endpoint.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** {@inheritDoc UploadApi.createUpload} */
  createUpload(request: CreateUploadRequest, signal?: AbortSignal): Promise<CreatedUpload> {
    return this.call('POST', '/uploads', request, signal);
  }

  /** {@inheritDoc UploadApi.signParts} */
  async signParts(uploadId: string, key: string, parts: readonly { partNumber: number; md5: string }[], signal?: AbortSignal): Promise<SignedPartUrl[]> {
    const body = await this.call<{ urls: SignedPartUrl[] }>('POST', `/uploads/${encodeURIComponent(uploadId)}/parts`, { key, parts }, signal);
    return body.urls;
  }

  /** {@inheritDoc UploadApi.listParts} */
  async listParts(uploadId: string, key: string, signal?: AbortSignal): Promise<StoredPart[]> {
    const body = await this.call<{ parts: StoredPart[] }>('GET', `/uploads/${encodeURIComponent(uploadId)}/parts?key=${encodeURIComponent(key)}`, undefined, signal);
    return body.parts;
  }

  /** {@inheritDoc UploadApi.completeUpload} */
  completeUpload(uploadId: string, request: CompleteUploadRequest, signal?: AbortSignal): Promise<CompletedUpload> {
    return this.call('POST', `/uploads/${encodeURIComponent(uploadId)}/complete`, request, signal);
  }

  /** {@inheritDoc UploadApi.abortUpload} */
  async abortUpload(uploadId: string, key: string, signal?: AbortSignal): Promise<void> {
    await this.call('DELETE', `/uploads/${encodeURIComponent(uploadId)}?key=${encodeURIComponent(key)}`, undefined, signal);
  }

  /** {@inheritDoc UploadApi.signObjects} */
  async signObjects(objects: readonly SignObjectRequest[], signal?: AbortSignal): Promise<SignedObjectUrl[]> {
    return (await this.call<{ urls: SignedObjectUrl[] }>('POST', '/objects/sign', { objects }, signal)).urls;
  }

  /** {@inheritDoc UploadApi.confirmObjects} */
  async confirmObjects(objects: readonly ConfirmObjectRequest[], signal?: AbortSignal): Promise<CompletedUpload[]> {
    return (await this.call<{ objects: CompletedUpload[] }>('POST', '/objects/confirm', { objects }, signal)).objects;
  }

  /** {@inheritDoc RecordsApi.listObjects} */
  listObjects(options: { prefix?: string; cursor?: string; limit?: number } = {}, signal?: AbortSignal): Promise<ObjectPage> {
    return this.getRecords('/objects', options, signal);
  }

  /** {@inheritDoc RecordsApi.getObjectHistory} */
  async getObjectHistory(key: string, signal?: AbortSignal): Promise<Submission[]> {
    // Every page: the server answers at most 1,000 submissions of a key at a time.
    const submissions: Submission[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.getRecords<{ submissions: Submission[]; cursor?: string }>('/objects/history', { key, cursor }, signal);
      submissions.push(...page.submissions);
      cursor = page.cursor;
    } while (cursor);
    return submissions;
  }

  /** {@inheritDoc RecordsApi.getSummary} */
  getSummary(options: { prefix?: string; submittedAfter?: string; submittedBefore?: string } = {}, signal?: AbortSignal): Promise<SubmissionSummary> {
    return this.getRecords('/summary', options, signal);
  }

  /** GET of a records path with a query; the query's encoding is loaded on first use (uploads never need it). */
  private async getRecords<T>(path: string, params: Record<string, string | number | undefined>, signal: AbortSignal | undefined): Promise<T> {
    return this.call('GET', `${path}${(await import('./query-string.ts')).queryString(params)}`, undefined, signal);
  }

  private async call<T>(method: string, path: string, body: unknown, signal: AbortSignal | undefined): Promise<T> {
    const headers: Record<string, string> = {};
    const token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    const { response, text, request } = await sendJson(this.fetchImpl, method, `${this.base}${path}`, headers, body, signal, `the upload server at ${this.base}`);
    if (response.ok) {
      if (response.status === 204 || text === '') return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch (error) {
        throw new ApiRequestError('bad_response', `The upload server answered ${method} ${path} with something that is not JSON.`, response.status, false, request, text, { cause: error });
      }
    }
    let code = `http_${response.status}`;
    let message = `The upload server answered ${response.status} ${response.statusText} to ${method} ${path.split('?')[0]}.`;
    let retryable = [408, 429, 502, 503, 504].includes(response.status);
    try {
      const parsed = JSON.parse(text) as { error?: { code?: string; message?: string; retryable?: boolean } };
      if (parsed.error?.code) code = parsed.error.code;
      if (parsed.error?.message) message = parsed.error.message;
      if (typeof parsed.error?.retryable === 'boolean') retryable = parsed.error.retryable;
    } catch {
      // Not our JSON error (a proxy's page, say): keep the generic message.
    }
    throw new ApiRequestError(code, message, response.status, retryable, request, text, undefined, response.headers.get('Retry-After') ?? undefined,
      dropoffFailureKind(code, response.status, retryable));
  }
}
