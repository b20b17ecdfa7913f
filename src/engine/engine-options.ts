/**
 * What an UploadEngine is configured with, and what its upload calls take and answer.
 */
import type { UploadApi } from '../protocol/upload-api.ts';
import type { RecordsApi } from '../protocol/records-api.ts';
import type { UploadBody } from './body-source.ts';
import type { Connectivity, PartHasher, PartTransport, ResumeStore } from './ports.ts';
import type { CompleteDetail } from './upload-events.ts';

/** Options of {@link UploadEngine}: `api`, `hasher` and `transport` are required (the assembled engines give the last two), the rest have defaults. */
export interface UploadEngineOptions {
  /** The server protocol (e.g. DropoffApi; the records methods need an api that also implements RecordsApi). Required. */
  readonly api: UploadApi & Partial<RecordsApi>;
  /** Identifies the server in resume records. Default `''`. */
  readonly endpoint?: string;
  /**
   * Hashes parts (port). Required: BrowserUploadEngine gives a HashPool of Web Workers, NodeUploadEngine one of
   * worker threads.
   */
  readonly hasher?: PartHasher;
  /** Sends parts (port). Required: BrowserUploadEngine gives an XhrPartTransport, NodeUploadEngine a FetchPartTransport. */
  readonly transport?: PartTransport;
  /**
   * Keeps resume records (port); `null` or absent keeps none. BrowserUploadEngine defaults to an IdbResumeStore,
   * NodeUploadEngine to a FileResumeStore.
   */
  readonly store?: ResumeStore | null;
  /** Tells when the connection goes and comes back (port). Default: none; BrowserUploadEngine: the window's events. */
  readonly connectivity?: Connectivity;
  /** Part size in bytes, raised as needed for S3's limits; objects up to this size go by one PUT. Default 8 MiB. */
  readonly partSize?: number;
  /** PUTs in flight over all objects. Default 6 (Chromium's connections per host). */
  readonly partConcurrency?: number;
  /** Multipart objects uploading at once. Default 3. */
  readonly objectConcurrency?: number;
  /**
   * Parts of one object hashed ahead of the PUTs in flight. A File's parts are slices that cost no memory until read,
   * so hashing runs this far ahead and part URLs are signed eight at a time. A stream's parts are held in memory:
   * for streams at most 2 are. Default 16.
   */
  readonly hashPipelineDepth?: number;
  /**
   * Largest object sent by one form POST to a presigned POST policy (a CORS-simple request: no preflight, but no
   * upload progress either); larger single-part objects go by a PUT with Content-MD5. 0 sends every object by PUT.
   * Default 1 MiB.
   */
  readonly formMaxBytes?: number;
  /**
   * Small objects (those sent in one request) open at once: hashed, waiting for a URL, being sent or waiting to be
   * confirmed. A small object spends a second or two between being hashed and being confirmed (most of it in the
   * server's batched confirm), so the files per second are at most this many per that time; each open object holds
   * only a Blob reference and a few strings. Default 1024.
   */
  readonly smallObjectConcurrency?: number;
  /** Retries of a failed step before the object fails. Default 5. */
  readonly maxRetries?: number;
  /** Category sent with every object unless the call names one. Default `''`. */
  readonly category?: string;
  /** Key or prefix (ending in `/`) for `add` unless the call names one. Default `''` (the file's path). */
  readonly destination?: string;
  /** Shortest time between two progress events of one object, in ms. Default 200. */
  readonly progressIntervalMs?: number;
  /** Start objects as soon as they are added. Default true. */
  readonly autoStart?: boolean;
  /** Pause running objects when the browser goes offline and resume them when it is back. Default true. */
  readonly pauseWhenOffline?: boolean;
  /**
   * When another upload of the same key is still in progress (started elsewhere, its resume record lost), abort it and
   * start over instead of failing with the server's `upload_in_progress`. Default false.
   */
  readonly takeOver?: boolean;
  /** Resume records not touched for this many days are dropped and their uploads aborted on the server. Default 7. */
  readonly resumeMaxAgeDays?: number;
  /** Diagnostics. Default: none. */
  readonly log?: (message: string) => void;
}

/** Per-call options of {@link UploadEngine.add}. */
export interface AddOptions {
  /** Key, or prefix ending in `/`. Default: the engine's `destination`. */
  readonly destination?: string;
  /** Data category. Default: the engine's `category`. */
  readonly category?: string;
}

/** Per-object options of {@link UploadEngine.putObject}. */
export interface PutOptions {
  /** Data category. Default: the engine's `category`. */
  readonly category?: string;
  /** MIME type. Default: the Blob's type, else `application/octet-stream`. */
  readonly contentType?: string;
  /** Name shown in `items`. Default: the key's last segment. */
  readonly name?: string;
  /** The file's modification time (ms since epoch), part of its resume fingerprint. Default: none. */
  readonly lastModified?: number;
}

/** One entry of {@link UploadEngine.putObjects}. */
export interface PutEntry extends PutOptions {
  /** The bytes. */
  readonly body: UploadBody;
  /** Object key. */
  readonly key: string;
}

/** What {@link UploadEngine.putObjects} reports. */
export interface PutObjectsResult {
  /** Objects stored. */
  readonly completed: CompleteDetail[];
  /** Objects that failed or were refused, with why. */
  readonly failed: { readonly key: string; readonly error: Error }[];
}

