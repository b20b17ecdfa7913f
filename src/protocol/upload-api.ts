/**
 * The server protocol as the engine sees it: an interface, so the engine never calls fetch() itself and tests or
 * other backends can supply their own. docs/protocol.md describes the wire format of the dropoff implementation.
 */

/** What to create an upload for. */
export interface CreateUploadRequest {
  /** Object key. */
  readonly key: string;
  /** Data category, e.g. `miniseed`. */
  readonly category: string;
  /** File size in bytes; undefined for a stream of unknown length. */
  readonly size: number | undefined;
  /** MIME type stored with the object. */
  readonly contentType: string;
  /** Part size the client planned (the server checks it against S3's limits). */
  readonly partSize: number;
  /** Abort another upload of the same key still in progress instead of failing with `upload_in_progress`. */
  readonly takeOver?: boolean;
  /** Parts whose MD5 is already known (the first one): their URLs come back with the upload, saving a signing call. */
  readonly parts?: readonly { readonly partNumber: number; readonly md5: string }[];
  /**
   * Lowercase hex SHA-256 of the whole file, for a protocol that signs every part at create ({@link SignsAtCreate}):
   * it is then sent with the MD5 of every part in `parts`.
   */
  readonly sha256?: string;
}

/** A created multipart upload. */
export interface CreatedUpload {
  /** The storage's upload id. */
  readonly uploadId: string;
  /** The object key. */
  readonly key: string;
  /** Part size in bytes. */
  readonly partSize: number;
  /** Number of parts; null when the size is unknown. */
  readonly partCount: number | null;
  /** URLs of the `parts` the request named, when it named any. */
  readonly urls?: readonly SignedPartUrl[];
}

/** A presigned URL for one part and the headers its PUT must carry. */
export interface SignedPartUrl {
  /** 1-based part number. */
  readonly partNumber: number;
  /** Where to PUT the bytes. */
  readonly url: string;
  /** Headers bound into the signature. */
  readonly headers: Readonly<Record<string, string>>;
  /** When the URL expires (ISO 8601). */
  readonly expiresAt: string;
}

/** A part the storage holds. */
export interface StoredPart {
  /** 1-based part number. */
  readonly partNumber: number;
  /** Its ETag. */
  readonly etag: string;
  /** Its size in bytes. */
  readonly size: number;
}

/** What the client sends to complete an upload. */
export interface CompleteUploadRequest {
  /** Object key. */
  readonly key: string;
  /** Total bytes sent. */
  readonly size: number;
  /** Lowercase hex SHA-256 of the whole file, computed by the client. */
  readonly sha256: string;
  /** Every part with the ETag the storage returned for it. */
  readonly parts: readonly { readonly partNumber: number; readonly etag: string }[];
}

/** The server's account of a completed upload. */
export interface CompletedUpload {
  /** Object key. */
  readonly key: string;
  /** Size the storage holds. */
  readonly size: number;
  /** The stored object's ETag (S3 multipart form `"<hex>-N"` on S3-compatible storage). */
  readonly etag: string;
  /** The client's SHA-256, as recorded. */
  readonly sha256: string;
  /** The category the upload was created with. */
  readonly category: string;
  /**
   * `VALIDATING` when the storage holds what was sent (the server validates it next: see the records API),
   * `ACCEPTED` once valid, `FAILED` with a `message` otherwise.
   */
  readonly status: 'VALIDATING' | 'ACCEPTED' | 'FAILED';
  /** Why it failed, when it did. */
  readonly message?: string;
  /**
   * `digest_mismatch`: the stored object's ETag is not the MD5 the client hashed (bytes changed on the way); the
   * engine signs and sends the object again. Absent for other failures.
   */
  readonly reason?: 'digest_mismatch';
}

/** One object to store by a single presigned PUT. */
export interface SignObjectRequest {
  /** Object key. */
  readonly key: string;
  /** Size in bytes (at most 5 GiB). */
  readonly size: number;
  /** Base64 MD5 of the whole object. */
  readonly md5: string;
  /** MIME type stored with the object. */
  readonly contentType: string;
  /** Data category. */
  readonly category: string;
  /**
   * Ask for a presigned POST form rather than a PUT URL: a form POST is a CORS-simple request, so it costs no
   * preflight. It cannot carry Content-MD5: the storage's ETag (the MD5 of a one-piece object) is compared instead.
   */
  readonly form?: boolean;
}

/** A presigned single PUT and the headers it must carry, or a presigned POST form and its fields. */
export interface SignedObjectUrl {
  /** Object key. */
  readonly key: string;
  /** Where to PUT the bytes (or POST the form, when `fields` is set). */
  readonly url: string;
  /** Headers bound into the signature (PUT). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Form fields to send before the file (POST): the policy binds key, size, type and metadata. */
  readonly fields?: Readonly<Record<string, string>>;
  /** When the URL expires (ISO 8601). */
  readonly expiresAt: string;
}

/** An object stored in one piece, to confirm. */
export interface ConfirmObjectRequest {
  /** Object key. */
  readonly key: string;
  /** Bytes sent. */
  readonly size: number;
  /** Lowercase hex SHA-256 of the bytes. */
  readonly sha256: string;
  /** Base64 MD5 of the bytes; the server compares it with the stored ETag (needed for objects sent by a form POST). */
  readonly md5?: string;
}

/** What a part PUT refused by the storage calls for, in a protocol that signs every part at create. */
export type PartFailureAction = 'retry' | 'abort' | 'stop';

/**
 * The optional capability of a protocol that signs every part's URL when the upload is created, and only then (the
 * STAC asset upload): its create request needs the MD5 of every part and the whole file's SHA-256, so the engine
 * hashes the whole file first, plans at most {@link maxParts} parts, sends each part to the URL that came with the
 * upload (never calling `signParts`), and when those URLs expire aborts the upload and creates it again.
 */
export interface SignsAtCreate {
  /** Most parts one upload may have. */
  readonly maxParts: number;
  /**
   * What a part PUT the storage answered with HTTP `status` calls for: `retry` it (with backoff), `abort` the upload on
   * the server and fail, or `stop`: fail and keep the upload, so that retrying the file later continues it. (No
   * answer at all is retried; a 403 is taken for expired URLs.) Default: retry 502, 503 and 504, abort on 400, stop on
   * anything else.
   */
  partFailure?(status: number): PartFailureAction;
}

/** The server operations the engine needs. Every call takes an AbortSignal. */
export interface UploadApi {
  /**
   * Optional capability: the protocol signs every part at create and needs every digest up front (see
   * {@link SignsAtCreate}).
   */
  readonly signsAtCreate?: SignsAtCreate;
  /** Starts a multipart upload. (Multipart core: required.) */
  createUpload(request: CreateUploadRequest, signal?: AbortSignal): Promise<CreatedUpload>;
  /** Presigns PUT URLs for parts whose MD5s are known. (Multipart core: required.) */
  signParts(uploadId: string, key: string, parts: readonly { partNumber: number; md5: string }[], signal?: AbortSignal): Promise<SignedPartUrl[]>;
  /**
   * Parts the storage holds for an upload. Optional capability: without it a resume trusts the parts it recorded
   * locally.
   */
  listParts?(uploadId: string, key: string, signal?: AbortSignal): Promise<StoredPart[]>;
  /** Completes an upload. (Multipart core: required.) */
  completeUpload(uploadId: string, request: CompleteUploadRequest, signal?: AbortSignal): Promise<CompletedUpload>;
  /** Aborts an upload and frees its parts. (Multipart core: required.) */
  abortUpload(uploadId: string, key: string, signal?: AbortSignal): Promise<void>;
  /**
   * Presigns single PUTs (or POST forms) for whole objects, answering in the order asked. Optional capability, with
   * {@link confirmObjects}: without both, objects that fit in one part go as one-part multipart uploads.
   */
  signObjects?(objects: readonly SignObjectRequest[], signal?: AbortSignal): Promise<SignedObjectUrl[]>;
  /** Reports on objects stored in one piece, answering in the order asked. Optional capability, with {@link signObjects}. */
  confirmObjects?(objects: readonly ConfirmObjectRequest[], signal?: AbortSignal): Promise<CompletedUpload[]>;
}

