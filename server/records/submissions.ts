/**
 * Records of submissions: who sent which key when, its size, the client's SHA-256, the storage's ETag, and its status
 * as it moves through the pipeline (AUTHORIZED when the upload is created or signed, VALIDATING once the storage holds
 * it, then ACCEPTED or FAILED with a message). One row per submission; re-sending a key adds a row.
 */
import type { Submission, SubmissionStatus } from '../../src/protocol/records-api.ts';
import type { Database } from './database.ts';

export type { Submission, SubmissionStatus };

/** Every status, in pipeline order. */
export const STATUSES: readonly SubmissionStatus[] = ['AUTHORIZED', 'VALIDATING', 'ACCEPTED', 'FAILED'];

/** A submission waiting for validation, with its owner. */
export interface PendingValidation extends Submission {
  readonly userId: string;
}

interface Row {
  id: number | string; user_id: string; key: string; category: string; upload_id: string | null; size: number | string | null;
  sha256: string | null; etag: string | null; status: SubmissionStatus; message: string | null; received_at: Date | string; updated_at: Date | string;
}

const COLUMNS = 'id, user_id, key, category, upload_id, size, sha256, etag, status, message, received_at, updated_at';

function toSubmission(row: Row): PendingValidation {
  const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();
  return {
    id: Number(row.id), userId: row.user_id, key: row.key, category: row.category, size: row.size === null ? null : Number(row.size),
    sha256: row.sha256, etag: row.etag, status: row.status, message: row.message, receivedAt: iso(row.received_at), updatedAt: iso(row.updated_at),
  };
}

function publicView({ userId: _userId, ...submission }: PendingValidation): Submission {
  return submission;
}

/** The submissions table. */
export class SubmissionStore {
  /** @param db the records database, migrated */
  constructor(private readonly db: Database) {}

  /** Records a new submission as AUTHORIZED (a multipart upload created, or a single PUT signed). */
  async authorize(userId: string, key: string, category: string, uploadId: string | null): Promise<number> {
    const [row] = await this.db.query<{ id: number }>(
      `INSERT INTO submissions (user_id, key, category, upload_id, status) VALUES ($1, $2, $3, $4, 'AUTHORIZED') RETURNING id`,
      [userId, key, category, uploadId]);
    return Number(row!.id);
  }

  /**
   * Records what the storage holds for the latest AUTHORIZED submission of `key` with `uploadId` (null for single
   * PUTs), or a new submission when there is none (its record was lost); returns it.
   */
  async received(userId: string, key: string, uploadId: string | null, got: {
    category: string; size: number; sha256: string; etag: string; status: SubmissionStatus; message: string | null;
  }): Promise<Submission> {
    const [row] = await this.db.query<Row>(
      `UPDATE submissions SET size = $4, sha256 = $5, etag = $6, status = $7, message = $8, updated_at = now()
       WHERE id = (SELECT id FROM submissions WHERE user_id = $1 AND key = $2 AND upload_id IS NOT DISTINCT FROM $3
                   AND status = 'AUTHORIZED' ORDER BY id DESC LIMIT 1)
       RETURNING ${COLUMNS}`,
      [userId, key, uploadId, got.size, got.sha256, got.etag, got.status, got.message]);
    if (row) return publicView(toSubmission(row));
    const [inserted] = await this.db.query<Row>(
      `INSERT INTO submissions (user_id, key, category, upload_id, size, sha256, etag, status, message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [userId, key, got.category, uploadId, got.size, got.sha256, got.etag, got.status, got.message]);
    return publicView(toSubmission(inserted!));
  }

  /** Marks the AUTHORIZED submission of an aborted upload as FAILED. */
  async aborted(userId: string, key: string, uploadId: string): Promise<void> {
    await this.db.query(
      `UPDATE submissions SET status = 'FAILED', message = 'The upload was cancelled.', updated_at = now()
       WHERE user_id = $1 AND key = $2 AND upload_id = $3 AND status = 'AUTHORIZED'`, [userId, key, uploadId]);
  }

  /** Sets the outcome of validation. */
  async settle(id: number, status: 'ACCEPTED' | 'FAILED', message: string | null): Promise<void> {
    await this.db.query(`UPDATE submissions SET status = $2, message = $3, updated_at = now() WHERE id = $1 AND status = 'VALIDATING'`, [id, status, message]);
  }

  /** Submissions waiting for validation (after a restart too), oldest first. */
  async validating(): Promise<PendingValidation[]> {
    return (await this.db.query<Row>(`SELECT ${COLUMNS} FROM submissions WHERE status = 'VALIDATING' ORDER BY id`)).map(toSubmission);
  }

  /** One submission by id, with its owner. */
  async byId(id: number): Promise<PendingValidation | undefined> {
    const [row] = await this.db.query<Row>(`SELECT ${COLUMNS} FROM submissions WHERE id = $1`, [id]);
    return row && toSubmission(row);
  }

  /**
   * The latest submission of every key under `prefix`, newest first, `limit` at a time; `cursor` (from the previous
   * page) continues after it.
   */
  async list(userId: string, prefix: string, limit: number, cursor?: number): Promise<{ objects: Submission[]; cursor?: number }> {
    const rows = await this.db.query<Row>(
      `WITH latest AS (
         SELECT DISTINCT ON (key) ${COLUMNS} FROM submissions
         WHERE user_id = $1 AND starts_with(key, $2) ORDER BY key, id DESC)
       SELECT ${COLUMNS} FROM latest WHERE ($3::bigint IS NULL OR id < $3) ORDER BY id DESC LIMIT $4`,
      [userId, prefix, cursor ?? null, limit + 1]);
    const objects = rows.slice(0, limit).map((row) => publicView(toSubmission(row)));
    return rows.length > limit ? { objects, cursor: objects.at(-1)!.id } : { objects };
  }

  /** Every submission of `key`, newest first. */
  async history(userId: string, key: string): Promise<Submission[]> {
    return (await this.db.query<Row>(`SELECT ${COLUMNS} FROM submissions WHERE user_id = $1 AND key = $2 ORDER BY id DESC`, [userId, key]))
      .map((row) => publicView(toSubmission(row)));
  }

  /** Counts of submissions under `prefix` by status, received within [after, before). */
  async summary(userId: string, prefix: string, after?: string, before?: string): Promise<{ total: number; byStatus: Record<SubmissionStatus, number> }> {
    const rows = await this.db.query<{ status: SubmissionStatus; count: number | string }>(
      `SELECT status, count(*) AS count FROM submissions
       WHERE user_id = $1 AND starts_with(key, $2) AND ($3::timestamptz IS NULL OR received_at >= $3) AND ($4::timestamptz IS NULL OR received_at < $4)
       GROUP BY status`, [userId, prefix, after ?? null, before ?? null]);
    const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<SubmissionStatus, number>;
    for (const row of rows) byStatus[row.status] = Number(row.count);
    return { total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus };
  }
}
