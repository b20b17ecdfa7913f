/**
 * The records side of the server protocol: what a user submitted and what became of it.
 */

/** Where a submission stands: AUTHORIZED, then VALIDATING once stored, then ACCEPTED or FAILED. */
export type SubmissionStatus = 'AUTHORIZED' | 'VALIDATING' | 'ACCEPTED' | 'FAILED';

/** One submission of a key. */
export interface Submission {
  readonly id: number;
  readonly key: string;
  readonly category: string;
  /** Bytes stored; null until the storage holds it. */
  readonly size: number | null;
  /** The client's SHA-256 (hex); null until completed. */
  readonly sha256: string | null;
  /** The storage's ETag; null until completed. */
  readonly etag: string | null;
  readonly status: SubmissionStatus;
  /** Why it failed, when it did. */
  readonly message: string | null;
  /** When it was authorized (ISO 8601). */
  readonly receivedAt: string;
  /** When its status last changed (ISO 8601). */
  readonly updatedAt: string;
}

/** A page of the latest submission of each key. */
export interface ObjectPage {
  readonly objects: readonly Submission[];
  /** Pass to the next call for the next page; absent on the last. */
  readonly cursor?: string;
}

/** Counts of submissions by status. */
export interface SubmissionSummary {
  readonly prefix: string;
  readonly submittedAfter: string | null;
  readonly submittedBefore: string | null;
  readonly total: number;
  readonly byStatus: Readonly<Record<SubmissionStatus, number>>;
}

/** The records operations (the dropoff SDK's list_objects, get_object_history, get_summary). */
export interface RecordsApi {
  /** The latest submission of each key under `prefix`, newest first, a page at a time. */
  listObjects(options?: { prefix?: string; cursor?: string; limit?: number }, signal?: AbortSignal): Promise<ObjectPage>;
  /** Every submission of `key`, newest first. */
  getObjectHistory(key: string, signal?: AbortSignal): Promise<Submission[]>;
  /** Counts by status under `prefix`, received within [submittedAfter, submittedBefore). */
  getSummary(options?: { prefix?: string; submittedAfter?: string; submittedBefore?: string }, signal?: AbortSignal): Promise<SubmissionSummary>;
}
