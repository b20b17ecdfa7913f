/**
 * Which staged objects a processing task takes: the latest submission of every key under a prefix that was stored,
 * chosen when the task is asked for; and, when it runs, where their validation stands (it processes the ACCEPTED
 * ones and reports those that FAILED as skipped).
 */
import type { SubmissionStatus } from '../../src/protocol/records-api.ts';
import type { Queryable } from '../records/database.ts';

/** A staged submission. */
export interface StagedSubmission {
  readonly id: number;
  readonly key: string;
  readonly category: string;
  readonly status: SubmissionStatus;
  readonly size: number | null;
  readonly message: string | null;
}

interface Row { id: number | string; key: string; category: string; status: SubmissionStatus; size: number | string | null; message: string | null }

const toStaged = (r: Row): StagedSubmission => ({ id: Number(r.id), key: r.key, category: r.category, status: r.status, size: r.size === null ? null : Number(r.size), message: r.message });

/**
 * The latest submission of each key of `userId` that is `prefix` itself or lies below `folder` (the prefix with a
 * trailing `/`), once it was stored (VALIDATING, ACCEPTED, or FAILED: a task reports those it skipped), in key order;
 * at most `limit`.
 */
export async function stagedUnder(db: Queryable, userId: string, prefix: string, folder: string, limit: number): Promise<StagedSubmission[]> {
  const rows = await db.query<Row>(
    `SELECT s.id, s.key, s.category, s.status, s.size, s.message
     FROM latest_submissions l JOIN submissions s ON s.id = l.submission_id
     WHERE l.user_id = $1 AND (l.key = $2 OR starts_with(l.key, $3)) AND s.status <> 'AUTHORIZED'
     ORDER BY l.key LIMIT $4`, [userId, prefix, folder, limit]);
  return rows.map(toStaged);
}

/** The submissions `ids`, in key order. */
export async function submissionsById(db: Queryable, ids: readonly number[]): Promise<StagedSubmission[]> {
  const rows = await db.query<Row>(
    'SELECT id, key, category, status, size, message FROM submissions WHERE id = ANY($1::bigint[]) ORDER BY key', [ids.map(String)]);
  return rows.map(toStaged);
}
