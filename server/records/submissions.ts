/**
 * Records of submissions: who sent which key when, its size, the client's SHA-256, the storage's ETag, and its status
 * as it moves through the pipeline (AUTHORIZED when the upload is created or signed, VALIDATING once the storage holds
 * it, then ACCEPTED or FAILED with a message). One row per submission; re-sending a key adds a row.
 *
 * Every submission carries a random upload token, also written into the stored object's metadata: it ties an object
 * to its submission, so a confirm or complete sent twice (its first answer lost) finds the same record again.
 */
import type { Submission, SubmissionStatus } from '../../src/protocol/records-api.ts';
import type { Database } from './database.ts';

export type { Submission, SubmissionStatus };

/** Every status, in pipeline order. */
export const STATUSES: readonly SubmissionStatus[] = ['AUTHORIZED', 'VALIDATING', 'ACCEPTED', 'FAILED'];

/** A submission with what only the server sees: its owner, upload id and token, and validation attempts. */
export interface StoredSubmission extends Submission {
  readonly userId: string;
  readonly uploadId: string | null;
  readonly uploadToken: string | null;
  readonly validationRuns: number;
}

/** A submission waiting for validation, with its owner. */
export type PendingValidation = StoredSubmission;

/** What the storage holds for a submission, as complete and confirm report it. */
export interface Receipt {
  readonly key: string;
  readonly category: string;
  readonly size: number;
  readonly sha256: string;
  readonly etag: string;
  readonly status: SubmissionStatus;
  readonly message: string | null;
  /** The upload token found in the object's metadata, if any. */
  readonly token: string | null;
}

/** One submission to authorize. */
export interface Authorization {
  readonly key: string;
  readonly category: string;
  /** The multipart upload id; null for a single PUT. */
  readonly uploadId: string | null;
  /** The random token written into the object's metadata. */
  readonly token: string;
}

interface Row {
  id: number | string; user_id: string; key: string; category: string; upload_id: string | null; upload_token: string | null;
  validation_runs: number | string; size: number | string | null; sha256: string | null; etag: string | null; status: SubmissionStatus;
  message: string | null; received_at: Date | string; updated_at: Date | string;
}

const COLUMNS = 'id, user_id, key, category, upload_id, upload_token, validation_runs, size, sha256, etag, status, message, received_at, updated_at';
const S_COLUMNS = COLUMNS.split(', ').map((c) => `s.${c}`).join(', ');

function toSubmission(row: Row): StoredSubmission {
  const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();
  return {
    id: Number(row.id), userId: row.user_id, uploadId: row.upload_id, uploadToken: row.upload_token, validationRuns: Number(row.validation_runs),
    key: row.key, category: row.category, size: row.size === null ? null : Number(row.size),
    sha256: row.sha256, etag: row.etag, status: row.status, message: row.message, receivedAt: iso(row.received_at), updatedAt: iso(row.updated_at),
  };
}

/** The part of a submission its owner sees. */
export function publicView({ userId: _u, uploadId: _i, uploadToken: _t, validationRuns: _r, ...submission }: StoredSubmission): Submission {
  return submission;
}

/** The submissions table. */
export class SubmissionStore {
  /** @param db the records database, migrated */
  constructor(private readonly db: Database) {}

  /** Records new submissions as AUTHORIZED, all in one multi-row INSERT. */
  async authorize(userId: string, entries: readonly Authorization[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.query(
      `INSERT INTO submissions (user_id, key, category, upload_id, upload_token, status)
       SELECT $1, e.key, e.category, e.upload_id, e.token, 'AUTHORIZED'
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS e(key, category, upload_id, token, n) ORDER BY e.n`,
      [userId, entries.map((e) => e.key), entries.map((e) => e.category), entries.map((e) => e.uploadId), entries.map((e) => e.token)]);
  }

  /** The latest submission of a multipart upload. */
  async forUpload(userId: string, key: string, uploadId: string): Promise<StoredSubmission | undefined> {
    const [row] = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM submissions WHERE user_id = $1 AND key = $2 AND upload_id = $3 ORDER BY id DESC LIMIT 1`, [userId, key, uploadId]);
    return row && toSubmission(row);
  }

  /**
   * Records what the storage holds for each receipt and returns the submission each belongs to, in order. A receipt
   * goes to the submission whose token the object carries, else to the latest AUTHORIZED one of its key (multipart:
   * of its upload id), else to one already received with the same ETag (a repeated call); only AUTHORIZED submissions
   * change. A receipt with no submission at all (its record was lost) gets a new one. `fresh` says which changed now.
   */
  async receive(userId: string, uploadId: string | null, receipts: readonly Receipt[]): Promise<{ submission: StoredSubmission; fresh: boolean }[]> {
    if (receipts.length === 0) return [];
    const matched = await this.db.query<Row & { n: number | string }>(
      `SELECT r.n, ${S_COLUMNS}
       FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS r(key, token, etag, n)
       CROSS JOIN LATERAL (
         SELECT * FROM submissions s
         WHERE s.user_id = $1 AND s.key = r.key AND (
           (r.token IS NOT NULL AND s.upload_token = r.token)
           OR (s.status = 'AUTHORIZED' AND s.upload_id IS NOT DISTINCT FROM $5)
           OR (s.status <> 'AUTHORIZED' AND s.etag = r.etag AND s.upload_id IS NOT DISTINCT FROM $5))
         ORDER BY COALESCE(s.upload_token = r.token, false) DESC, (s.status = 'AUTHORIZED') DESC, s.id DESC
         LIMIT 1) s`,
      [userId, receipts.map((r) => r.key), receipts.map((r) => r.token), receipts.map((r) => r.etag), uploadId]);
    const byIndex = new Map(matched.map((row) => [Number(row.n) - 1, toSubmission(row)]));
    const toUpdate: { id: number; receipt: Receipt }[] = [];
    const toInsert: Receipt[] = [];
    receipts.forEach((receipt, i) => {
      const found = byIndex.get(i);
      if (!found) toInsert.push(receipt);
      else if (found.status === 'AUTHORIZED') toUpdate.push({ id: found.id, receipt });
    });
    const changed = new Map<number, StoredSubmission>();
    if (toUpdate.length > 0) {
      const rows = await this.db.query<Row>(
        `UPDATE submissions s SET size = u.size, sha256 = u.sha256, etag = u.etag, status = u.status, message = u.message, updated_at = now()
         FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(id, size, sha256, etag, status, message)
         WHERE s.id = u.id AND s.status = 'AUTHORIZED'
         RETURNING ${S_COLUMNS}`,
        [toUpdate.map((u) => u.id), toUpdate.map((u) => u.receipt.size), toUpdate.map((u) => u.receipt.sha256), toUpdate.map((u) => u.receipt.etag),
          toUpdate.map((u) => u.receipt.status), toUpdate.map((u) => u.receipt.message)]);
      for (const row of rows) changed.set(Number(row.id), toSubmission(row));
    }
    const inserted = toInsert.length === 0 ? [] : await this.db.query<Row>(
      `INSERT INTO submissions (user_id, key, category, upload_id, upload_token, size, sha256, etag, status, message)
       SELECT $1, i.key, i.category, $2, i.token, i.size, i.sha256, i.etag, i.status, i.message
       FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[]) WITH ORDINALITY
         AS i(key, category, token, size, sha256, etag, status, message, n) ORDER BY i.n
       RETURNING ${COLUMNS}`,
      [userId, uploadId, toInsert.map((r) => r.key), toInsert.map((r) => r.category), toInsert.map((r) => r.token), toInsert.map((r) => r.size),
        toInsert.map((r) => r.sha256), toInsert.map((r) => r.etag), toInsert.map((r) => r.status), toInsert.map((r) => r.message)]).then((rows) => rows.map(toSubmission));
    let next = 0;
    const results: { submission: StoredSubmission; fresh: boolean }[] = [];
    for (let i = 0; i < receipts.length; i++) {
      const found = byIndex.get(i);
      if (!found) results.push({ submission: inserted[next++]!, fresh: true });
      else if (changed.has(found.id)) results.push({ submission: changed.get(found.id)!, fresh: true });
      // Already received (or received by a concurrent call just now): read it as it stands.
      else results.push({ submission: found.status === 'AUTHORIZED' ? (await this.byId(found.id))! : found, fresh: false });
    }
    return results;
  }

  /** Marks the AUTHORIZED submission of an aborted upload as FAILED. */
  async aborted(userId: string, key: string, uploadId: string): Promise<void> {
    await this.db.query(
      `UPDATE submissions SET status = 'FAILED', message = 'The upload was cancelled.', updated_at = now()
       WHERE user_id = $1 AND key = $2 AND upload_id = $3 AND status = 'AUTHORIZED'`, [userId, key, uploadId]);
  }

  /** Counts a validation attempt of a VALIDATING submission and returns it; undefined when it is no longer VALIDATING. */
  async startValidation(id: number): Promise<StoredSubmission | undefined> {
    const [row] = await this.db.query<Row>(
      `UPDATE submissions SET validation_runs = validation_runs + 1 WHERE id = $1 AND status = 'VALIDATING' RETURNING ${COLUMNS}`, [id]);
    return row && toSubmission(row);
  }

  /** Sets the outcome of validation (only of a submission still VALIDATING). */
  async settle(id: number, status: 'ACCEPTED' | 'FAILED', message: string | null): Promise<void> {
    await this.db.query(`UPDATE submissions SET status = $2, message = $3, updated_at = now() WHERE id = $1 AND status = 'VALIDATING'`, [id, status, message]);
  }

  /** Sets the outcomes of many validations in one statement (only of submissions still VALIDATING). */
  async settleMany(outcomes: readonly { id: number; status: 'ACCEPTED' | 'FAILED'; message: string | null }[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.db.query(
      `UPDATE submissions s SET status = o.status, message = o.message, updated_at = now()
       FROM unnest($1::bigint[], $2::text[], $3::text[]) AS o(id, status, message)
       WHERE s.id = o.id AND s.status = 'VALIDATING'`,
      [outcomes.map((o) => o.id), outcomes.map((o) => o.status), outcomes.map((o) => o.message)]);
  }

  /** Marks a submission that was authorized but never arrived as FAILED. */
  async expire(id: number, message: string): Promise<void> {
    await this.db.query(`UPDATE submissions SET status = 'FAILED', message = $2, updated_at = now() WHERE id = $1 AND status = 'AUTHORIZED'`, [id, message]);
  }

  /** How many of the user's submissions are VALIDATING (for fair ordering of their validations). */
  async validatingCount(userId: string): Promise<number> {
    const [row] = await this.db.query<{ count: number | string }>(`SELECT count(*) AS count FROM submissions WHERE user_id = $1 AND status = 'VALIDATING'`, [userId]);
    return Number(row?.count ?? 0);
  }

  /** Submissions still AUTHORIZED: single PUTs authorized before `singleBefore`, multipart uploads before `multipartBefore`. */
  async staleAuthorized(singleBefore: Date, multipartBefore: Date, limit: number): Promise<StoredSubmission[]> {
    return (await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM submissions WHERE status = 'AUTHORIZED'
       AND received_at < CASE WHEN upload_id IS NULL THEN $1::timestamptz ELSE $2::timestamptz END
       ORDER BY received_at LIMIT $3`, [singleBefore.toISOString(), multipartBefore.toISOString(), limit])).map(toSubmission);
  }

  /** Submissions VALIDATING that have not changed for `idleSeconds` (their job may be lost). */
  async validatingSince(idleSeconds: number, limit: number): Promise<StoredSubmission[]> {
    return (await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM submissions WHERE status = 'VALIDATING' AND updated_at < now() - make_interval(secs => $1) ORDER BY id LIMIT $2`,
      [idleSeconds, limit])).map(toSubmission);
  }

  /** How many submissions are VALIDATING in all. */
  async validatingTotal(): Promise<number> {
    const [row] = await this.db.query<{ count: number | string }>(`SELECT count(*) AS count FROM submissions WHERE status = 'VALIDATING'`);
    return Number(row?.count ?? 0);
  }

  /** One submission by id, with its owner. */
  async byId(id: number): Promise<StoredSubmission | undefined> {
    const [row] = await this.db.query<Row>(`SELECT ${COLUMNS} FROM submissions WHERE id = $1`, [id]);
    return row && toSubmission(row);
  }

  /**
   * The latest submission of every key under `prefix`, newest first, `limit` at a time; `cursor` (from the previous
   * page) continues after it. Reads the table of latest submissions, one row per key, never the whole history.
   */
  async list(userId: string, prefix: string, limit: number, cursor?: number): Promise<{ objects: Submission[]; cursor?: number }> {
    const rows = await this.db.query<Row>(
      `SELECT ${S_COLUMNS} FROM latest_submissions l JOIN submissions s ON s.id = l.submission_id
       WHERE l.user_id = $1 AND starts_with(l.key, $2) AND ($3::bigint IS NULL OR l.submission_id < $3)
       ORDER BY l.submission_id DESC LIMIT $4`,
      [userId, prefix, cursor ?? null, limit + 1]);
    const objects = rows.slice(0, limit).map((row) => publicView(toSubmission(row)));
    return rows.length > limit ? { objects, cursor: objects.at(-1)!.id } : { objects };
  }

  /** The submissions of `key`, newest first, `limit` at a time; `cursor` (from the previous page) continues after it. */
  async history(userId: string, key: string, limit = 1000, cursor?: number): Promise<{ submissions: Submission[]; cursor?: number }> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM submissions WHERE user_id = $1 AND key = $2 AND ($3::bigint IS NULL OR id < $3) ORDER BY id DESC LIMIT $4`,
      [userId, key, cursor ?? null, limit + 1]);
    const submissions = rows.slice(0, limit).map((row) => publicView(toSubmission(row)));
    return rows.length > limit ? { submissions, cursor: submissions.at(-1)!.id } : { submissions };
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
