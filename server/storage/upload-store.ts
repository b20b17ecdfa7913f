/**
 * S3 operations on one bucket (multipart uploads, single presigned PUTs, reading back what was stored): the only
 * place the server talks to storage.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { ApiError } from '../errors.ts';
import { isNotFound, toApiError, type StorageOperation } from './storage-errors.ts';
import type { ObjectReader } from './object-reader.ts';

/** A part stored so far, as ListParts reports it. */
export interface StoredPart {
  /** 1-based part number. */
  readonly partNumber: number;
  /** The part's ETag, quoted as S3 returns it. */
  readonly etag: string;
  /** The part's size in bytes. */
  readonly size: number;
  /** When the storage received it (ISO 8601), where it says. */
  readonly lastModified?: string | undefined;
}

/** A presigned part URL and the headers the PUT must carry for the signature to match. */
export interface SignedPart {
  /** 1-based part number. */
  readonly partNumber: number;
  /** The presigned URL to PUT the part's bytes to. */
  readonly url: string;
  /** Headers that are part of the signature; the PUT must send them unchanged. */
  readonly headers: Record<string, string>;
  /** When the URL stops working (ISO 8601). */
  readonly expiresAt: string;
}

/** A multipart upload not yet completed or aborted. */
export interface OpenUpload {
  /** The storage's upload id. */
  readonly uploadId: string;
  /** The object key. */
  readonly key: string;
  /** When it was created (ISO 8601), where the storage says. */
  readonly initiated: string | undefined;
}

/** A presigned single PUT of a whole object. */
export interface SignedObject {
  /** Object key. */
  readonly key: string;
  /** The presigned URL. */
  readonly url: string;
  /** Headers that are part of the signature (Content-MD5, Content-Type, metadata); the PUT must send them unchanged. */
  readonly headers: Record<string, string>;
  /** When the URL stops working (ISO 8601). */
  readonly expiresAt: string;
}

/**
 * A presigned POST of a whole object (a browser form upload). The browser sends `fields` then the file as
 * multipart/form-data to `url`: a CORS-simple request, so it costs no preflight, unlike a PUT to a fresh URL.
 */
export interface SignedObjectForm {
  /** Object key. */
  readonly key: string;
  /** Where to POST the form (the bucket's URL). */
  readonly url: string;
  /** Form fields to send before the file, in this order; the policy they carry binds key, size, type and metadata. */
  readonly fields: Record<string, string>;
  /** When the policy stops working (ISO 8601). */
  readonly expiresAt: string;
}

/** What one GET of a stored object gave (see {@link UploadStore.readBack}). */
export interface ObjectReadBack {
  /** Bytes stored (the bytes read, when the body was read). */
  readonly size: number;
  /** The storage's ETag, quoted as it sent it. */
  readonly etag: string;
  /** The object's user metadata (`x-amz-meta-*` without the prefix). */
  readonly metadata: Record<string, string>;
  /** SHA-256 (hex) of the bytes; absent when the size was not the one expected and the body was not read. */
  readonly sha256?: string;
  /** The first bytes asked for (fewer when the object is shorter). */
  readonly head: Uint8Array;
}

/** Uploads to one bucket through one S3 client; objects are read back through an {@link ObjectReader}. */
export class UploadStore {
  /**
   * @param client S3 client (see createS3Client)
   * @param reader reads objects back (signed GETs with the client's credentials; see ObjectReader)
   * @param bucket the bucket every key lives in
   * @param urlExpiresSeconds lifetime of presigned URLs
   * @param signer client whose endpoint presigned URLs name (S3_PUBLIC_ENDPOINT, when browsers reach the storage at
   *   another address than the server does); default `client`
   */
  constructor(
    private readonly client: S3Client,
    private readonly reader: ObjectReader,
    private readonly bucket: string,
    private readonly urlExpiresSeconds: number,
    private readonly signer: S3Client = client,
  ) {}

  /**
   * Starts a multipart upload; returns its upload id. `headers` are stored with the object and sent back with it
   * (the STAC API's content_encoding and update_interval).
   */
  async create(key: string, contentType: string, metadata: Record<string, string>, headers: { contentEncoding?: string; cacheControl?: string } = {}): Promise<string> {
    const out = await this.call('create', () =>
      this.client.send(new CreateMultipartUploadCommand({
        Bucket: this.bucket, Key: key, ContentType: contentType, Metadata: metadata, ContentEncoding: headers.contentEncoding, CacheControl: headers.cacheControl,
      })));
    if (!out.UploadId) throw toApiError(new Error('CreateMultipartUpload returned no UploadId'), 'create');
    return out.UploadId;
  }

  /**
   * Presigns UploadPart URLs. Each part's Content-MD5 is a signed header, so the storage accepts only bytes with that
   * digest under that URL (and verifies the digest of what it receives). A part whose `size` is known has its
   * Content-Length signed too: the URL then takes exactly that many bytes. (The browser sets Content-Length from the
   * body itself, so it is not among the headers the client is told to send.)
   */
  async signParts(key: string, uploadId: string, parts: readonly { partNumber: number; md5: string; size?: number | undefined }[]): Promise<SignedPart[]> {
    const expiresAt = new Date(Date.now() + this.urlExpiresSeconds * 1000).toISOString();
    return this.call('sign', () =>
      Promise.all(parts.map(async ({ partNumber, md5, size }) => {
        const command = new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, ContentMD5: md5, ContentLength: size });
        const url = await getSignedUrl(this.signer, command, { expiresIn: this.urlExpiresSeconds, signableHeaders: new Set(['content-md5', 'content-length']) });
        return { partNumber, url, headers: { 'Content-MD5': md5 }, expiresAt };
      })));
  }

  /**
   * Presigns single PUTs of whole objects. Content-MD5, Content-Type and the metadata are signed headers, so the
   * storage accepts only those bytes, with that type and metadata, under the URL.
   */
  async signObjects(objects: readonly { key: string; md5: string; contentType: string; metadata: Record<string, string>; size?: number }[]): Promise<SignedObject[]> {
    const expiresAt = new Date(Date.now() + this.urlExpiresSeconds * 1000).toISOString();
    return this.call('sign', () =>
      Promise.all(objects.map(async ({ key, md5, contentType, metadata, size }) => {
        // Content-Length, when given, is signed as well (see signParts): the URL takes exactly `size` bytes.
        const command = new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentMD5: md5, ContentType: contentType, Metadata: metadata, ContentLength: size });
        const metaHeaders = Object.fromEntries(Object.entries(metadata).map(([name, value]) => [`x-amz-meta-${name}`, value]));
        const url = await getSignedUrl(this.signer, command, {
          expiresIn: this.urlExpiresSeconds,
          signableHeaders: new Set(['content-md5', 'content-type', 'content-length']),
          unhoistableHeaders: new Set(Object.keys(metaHeaders)),
        });
        return { key, url, headers: { 'Content-MD5': md5, 'Content-Type': contentType, ...metaHeaders }, expiresAt };
      })));
  }

  /**
   * Presigns POST policies for whole objects. The policy pins the exact key, the exact size (content-length-range),
   * the Content-Type and every metadata value, so the form can store nothing else. A POST cannot carry Content-MD5,
   * so integrity is checked afterwards: a single-part object's ETag is the MD5 of its bytes, which the client and
   * the confirm call compare with the MD5 the client hashed.
   */
  async signObjectForms(objects: readonly { key: string; size: number; contentType: string; metadata: Record<string, string> }[]): Promise<SignedObjectForm[]> {
    const expiresAt = new Date(Date.now() + this.urlExpiresSeconds * 1000).toISOString();
    return this.call('sign', () =>
      Promise.all(objects.map(async ({ key, size, contentType, metadata }) => {
        const metaFields = Object.fromEntries(Object.entries(metadata).map(([name, value]) => [`x-amz-meta-${name}`, value]));
        // 204: an empty answer. Ceph RGW's 201 answer (an XML body naming the ETag) costs ~40 ms more per object on a
        // kept-alive connection (the body goes out as a second small write, held until the client's delayed ACK):
        // five times fewer objects per second. The 204 names no ETag, so the confirm compares it with the MD5 instead.
        const fields = { 'Content-Type': contentType, success_action_status: '204', ...metaFields };
        const post = await createPresignedPost(this.signer, {
          Bucket: this.bucket, Key: key, Expires: this.urlExpiresSeconds, Fields: fields,
          Conditions: [
            ['content-length-range', size, size],
            ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
          ],
        });
        return { key, url: post.url, fields: post.fields, expiresAt };
      })));
  }

  /**
   * Every part stored so far, in part-number order (follows ListParts pagination); `withTimes` adds when each
   * arrived (the STAC API shows it; the dropoff API does not).
   */
  async listParts(key: string, uploadId: string, withTimes = false): Promise<StoredPart[]> {
    const parts: StoredPart[] = [];
    let marker: string | undefined;
    do {
      const out = await this.call('list-parts', () =>
        this.client.send(new ListPartsCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker })));
      for (const p of out.Parts ?? []) {
        if (p.PartNumber !== undefined && p.ETag) parts.push({ partNumber: p.PartNumber, etag: p.ETag, size: p.Size ?? 0, ...(withTimes ? { lastModified: p.LastModified?.toISOString() } : {}) });
      }
      marker = out.IsTruncated ? out.NextPartNumberMarker : undefined;
    } while (marker);
    return parts;
  }

  /** Completes the upload from `parts` (sorted here by part number). */
  async complete(key: string, uploadId: string, parts: readonly { partNumber: number; etag: string }[]): Promise<void> {
    const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber).map((p) => ({ PartNumber: p.partNumber, ETag: quoteEtag(p.etag) }));
    try {
      await this.call('complete', () =>
        this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: sorted } })));
    } catch (error) {
      // Ceph Pacific answers Complete on an unknown or aborted upload with 500 "multipart completion is already in
      // progress" instead of NoSuchUpload; ListParts tells the two apart.
      if (error instanceof ApiError && error.code === 'storage_error') await this.listParts(key, uploadId);
      throw error;
    }
  }

  /**
   * Size, ETag and user metadata of a stored object; undefined when there is none. Used after completing because some storages (Ceph Pacific) answer
   * CompleteMultipartUpload with an empty ETag.
   */
  async head(key: string, signal?: AbortSignal): Promise<{ size: number; etag: string; metadata: Record<string, string> } | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal });
      return { size: out.ContentLength ?? 0, etag: out.ETag ?? '', metadata: out.Metadata ?? {} };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toApiError(error, 'head');
    }
  }

  /**
   * Reads the stored object back in one GET: its size, ETag and user metadata, the SHA-256 (hex) of its bytes and its
   * first `headBytes` bytes; undefined when there is no object under `key`. When it holds another size than
   * `expectedSize`, the body is not read (no `sha256`): the caller fails the object on its size, and a replaced object
   * may be far larger than the caller is willing to read. (One request where a HEAD, a GET and a ranged GET were three.)
   */
  async readBack(key: string, headBytes: number, expectedSize: number, signal?: AbortSignal): Promise<ObjectReadBack | undefined> {
    let out;
    try {
      out = await this.reader.get(key, { signal });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toApiError(error, 'read');
    }
    const { size, body } = out;
    const stored = { size, etag: out.etag, metadata: out.metadata };
    if (size !== expectedSize) {
      body.destroy();
      return { ...stored, head: new Uint8Array(0) };
    }
    return this.call('read', async () => {
      const hash = createHash('sha256');
      const head = new Uint8Array(Math.min(headBytes, size));
      let read = 0;
      try {
        for await (const chunk of body as AsyncIterable<Uint8Array>) {
          // A stalled or aborted body must not hold the validation past its deadline.
          signal?.throwIfAborted();
          hash.update(chunk);
          if (read < head.length) head.set(chunk.subarray(0, head.length - read), read);
          read += chunk.length;
        }
      } finally {
        body.destroy();
      }
      signal?.throwIfAborted();
      return { ...stored, size: read, sha256: hash.digest('hex'), head };
    });
  }

  /** The stored object's first `length` bytes (fewer when it is shorter). */
  async firstBytes(key: string, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    if (length <= 0) return new Uint8Array(0);
    return this.call('read', async () => {
      const { body } = await this.reader.get(key, { range: { start: 0, end: length - 1 }, signal });
      const chunks: Uint8Array[] = [];
      for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk);
      return new Uint8Array(Buffer.concat(chunks));
    });
  }

  /**
   * The stored object's bytes as a stream of chunks, read as the caller consumes them (processing reads objects of
   * any size this way, never whole in memory). A missing object or an unreadable storage throws an ApiError.
   */
  async *stream(key: string, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    const { body } = await this.call('read', () => this.reader.get(key, { signal }));
    try {
      for await (const chunk of body as AsyncIterable<Uint8Array>) {
        signal?.throwIfAborted();
        yield chunk;
      }
    } catch (error) {
      if (signal?.aborted || error instanceof ApiError) throw error;
      throw toApiError(error, 'read');
    } finally {
      // The consumer may stop early (it found what it needed): the connection is not left half-read.
      body.destroy();
    }
  }

  /** Aborts the upload, freeing its stored parts. */
  async abort(key: string, uploadId: string): Promise<void> {
    await this.call('abort', () =>
      this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId })));
  }

  /** Uploads in progress under `prefix` (follows pagination). */
  async listUploads(prefix: string): Promise<OpenUpload[]> {
    const uploads: OpenUpload[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const out = await this.call('list-uploads', () => this.client.send(new ListMultipartUploadsCommand({
        Bucket: this.bucket, Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker,
      })));
      for (const u of out.Uploads ?? []) {
        if (u.UploadId && u.Key) uploads.push({ uploadId: u.UploadId, key: u.Key, initiated: u.Initiated?.toISOString() });
      }
      keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
      uploadIdMarker = out.IsTruncated ? out.NextUploadIdMarker : undefined;
    } while (keyMarker);
    return uploads;
  }

  private async call<T>(operation: StorageOperation, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toApiError(error, operation);
    }
  }
}

/** S3 wants ETags quoted in CompleteMultipartUpload; clients may have stripped the quotes. */
function quoteEtag(etag: string): string {
  return etag.startsWith('"') ? etag : `"${etag}"`;
}
