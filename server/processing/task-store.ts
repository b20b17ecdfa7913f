/**
 * The processing tasks table: one row per task, owned by one user, with its status, timings, progress and result.
 * A task's row is the truth a client reads; its job in the queue only says when a worker runs it.
 */
import type { ProcessingTask, TaskStatus } from '../../src/protocol/processing-api.ts';
import type { Database } from '../records/database.ts';
import type { Json } from './processor.ts';

export type { ProcessingTask, TaskStatus };

/** A task as a worker needs it. */
export interface TaskToRun {
  readonly id: string;
  readonly userId: string;
  readonly processor: string;
  readonly submissionIds: readonly number[];
  readonly status: TaskStatus;
}

/** A task to create. */
export interface NewTask {
  readonly id: string;
  readonly processor: string;
  readonly submissionIds: readonly number[];
}

interface Row {
  id: string; processor: string; filename: string; prefix: string; status: TaskStatus; attempts: number | string;
  objects_total: number | string; objects_done: number | string; summary: string | null; error: string | null; result?: Json;
  created_at: Date | string; started_at: Date | string | null; finished_at: Date | string | null;
}

const COLUMNS = 'id::text, processor, filename, prefix, status, attempts, objects_total, objects_done, summary, error, created_at, started_at, finished_at';

function iso(value: Date | string | null): string | null {
  return value === null ? null : (value instanceof Date ? value : new Date(value)).toISOString();
}

function toTask(row: Row): ProcessingTask {
  return {
    id: row.id, processor: row.processor, filename: row.filename, prefix: row.prefix, status: row.status,
    createdAt: iso(row.created_at)!, startedAt: iso(row.started_at), finishedAt: iso(row.finished_at), attempts: Number(row.attempts),
    progress: { objectsDone: Number(row.objects_done), objectsTotal: Number(row.objects_total) },
    summary: row.summary, error: row.error,
    ...(row.result !== undefined && row.result !== null ? { result: row.result } : {}),
  };
}

/** The processing_tasks table. */
export class TaskStore {
  /** @param db the records database, migrated */
  constructor(private readonly db: Database) {}

  /** Records new tasks as queued, all in one statement. */
  async create(userId: string, filename: string, prefix: string, tasks: readonly NewTask[]): Promise<ProcessingTask[]> {
    if (tasks.length === 0) return [];
    const rows = await this.db.query<Row>(
      `INSERT INTO processing_tasks (id, user_id, processor, filename, prefix, submission_ids, status, objects_total)
       SELECT t.id::uuid, $1, t.processor, $2, $3, ARRAY(SELECT jsonb_array_elements_text(t.ids::jsonb)::bigint), 'queued', jsonb_array_length(t.ids::jsonb)
       FROM unnest($4::text[], $5::text[], $6::text[]) AS t(id, processor, ids)
       RETURNING ${COLUMNS}`,
      [userId, filename, prefix, tasks.map((t) => t.id), tasks.map((t) => t.processor), tasks.map((t) => JSON.stringify(t.submissionIds))]);
    const byId = new Map(rows.map((r) => [r.id, toTask(r)]));
    return tasks.map((t) => byId.get(t.id)!);
  }

  /** Task `id` of `userId`, with its result; undefined when there is none (or it is another user's). */
  async get(userId: string, id: string): Promise<ProcessingTask | undefined> {
    const [row] = await this.db.query<Row>(`SELECT ${COLUMNS}, result FROM processing_tasks WHERE id = $1::uuid AND user_id = $2`, [id, userId]);
    return row && toTask(row);
  }

  /**
   * The latest `limit` tasks of `userId`, newest first, without results; with `under`, only tasks whose prefix lies
   * there (`alice/2025/303` and `alice/2025/303/…` under `alice/2025/303/`, not `alice/2025/3030`).
   */
  async list(userId: string, limit: number, under?: string): Promise<ProcessingTask[]> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM processing_tasks WHERE user_id = $1 AND ($3::text IS NULL OR starts_with(prefix || '/', $3))
       ORDER BY created_at DESC, id LIMIT $2`, [userId, limit, under ?? null]);
    return rows.map(toTask);
  }

  /** What a worker needs to run task `id`. */
  async forRun(id: string): Promise<TaskToRun | undefined> {
    const [row] = await this.db.query<{ id: string; user_id: string; processor: string; submission_ids: (number | string)[]; status: TaskStatus }>(
      'SELECT id::text, user_id, processor, submission_ids, status FROM processing_tasks WHERE id = $1::uuid', [id]);
    return row && { id: row.id, userId: row.user_id, processor: row.processor, submissionIds: row.submission_ids.map(Number), status: row.status };
  }

  /** Marks an attempt started: running, one more attempt, progress from zero. */
  async start(id: string): Promise<void> {
    await this.db.query(
      `UPDATE processing_tasks SET status = 'running', attempts = attempts + 1, started_at = now(), objects_done = 0, error = NULL
       WHERE id = $1::uuid AND status IN ('queued', 'running')`, [id]);
  }

  /** Records how many objects the running attempt has done. */
  async progress(id: string, objectsDone: number): Promise<void> {
    await this.db.query(`UPDATE processing_tasks SET objects_done = $2 WHERE id = $1::uuid AND status = 'running'`, [id, objectsDone]);
  }

  /** Marks it succeeded with its result. */
  async succeed(id: string, result: Json, summary: string): Promise<void> {
    await this.db.query(
      `UPDATE processing_tasks SET status = 'succeeded', result = $2::jsonb, summary = $3, error = NULL, finished_at = now(), objects_done = objects_total
       WHERE id = $1::uuid AND status IN ('queued', 'running')`, [id, JSON.stringify(result), summary]);
  }

  /** Marks it failed for good with `error`. */
  async fail(id: string, error: string): Promise<void> {
    await this.db.query(
      `UPDATE processing_tasks SET status = 'failed', error = $2, finished_at = now() WHERE id = $1::uuid AND status IN ('queued', 'running')`, [id, error]);
  }

  /** Puts it back in the queue after an attempt that will be retried, saying why. */
  async requeue(id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE processing_tasks SET status = 'queued', error = $2 WHERE id = $1::uuid AND status IN ('queued', 'running')`, [id, error]);
  }

  /** Ids of tasks not yet ended, oldest first (for the sweep). */
  async open(limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id::text FROM processing_tasks WHERE status IN ('queued', 'running') ORDER BY created_at LIMIT $1`, [limit]);
    return rows.map((r) => r.id);
  }
}
