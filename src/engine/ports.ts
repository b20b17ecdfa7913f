/**
 * The engine's ports, in one place: everything the engine needs from the outside world, and nothing else. Each
 * platform assembles its own defaults (src/browser/: XHR, Web Worker hashing, IndexedDB, the window's online events;
 * src/node/: fetch, worker-thread hashing, files in the user's cache folder), and each server protocol is an adapter
 * (src/protocol/: the dropoff JSON API) that maps its wire errors to protocol-neutral failure kinds.
 *
 * - {@link UploadApi}: the server protocol. The multipart core (create, sign parts, complete, abort) is required;
 *   listing parts (resume reconciled with the storage) and batched single objects (small files in one request) are
 *   optional capabilities: without them a resume trusts its local record and small files go as one-part uploads.
 *   {@link RecordsApi} (what was submitted, what became of it) is optional too.
 * - {@link PartTransport}: sends part bytes to a presigned URL and reports upload progress.
 * - {@link PartHasher}: MD5 per part and the running SHA-256 of each file, off the main thread.
 * - {@link ResumeStore}: keeps resume records, atomically per change.
 * - {@link Connectivity}: tells when the connection goes and comes back.
 * - Failures: every port rejects with errors that carry a {@link FailureKind}; the engine decides on kinds only.
 */
export type { UploadApi } from '../protocol/upload-api.ts';
export type { RecordsApi } from '../protocol/records-api.ts';
export type { FailureKind } from '../protocol/failure-kind.ts';
export type { PartTransport, PartPutRequest } from './part-transport.ts';
export type { PartHasher, PartDigest, HashedPart } from '../worker/hash-pool.ts';
export type { ResumeStore, ResumeRecord, FinishedPart } from '../store/resume-record.ts';

/** Tells the engine when the connection goes and comes back. */
export interface Connectivity {
  /** Calls `onChange` with `false` when the connection is lost and `true` when it is back; returns an unsubscribe. */
  subscribe(onChange: (online: boolean) => void): () => void;
}
