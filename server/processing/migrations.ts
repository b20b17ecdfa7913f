/**
 * The processing tasks' tables, as migrations 60..79 of the records schema (server/records/migrations.ts lists them).
 */

/** Processing's migrations, oldest first. Never edit one that has shipped: add the next (up to version 79). */
export const PROCESSING_MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 60,
    sql: `
      CREATE TABLE processing_tasks (
        id UUID PRIMARY KEY,
        user_id TEXT NOT NULL,
        processor TEXT NOT NULL,
        filename TEXT NOT NULL,
        prefix TEXT NOT NULL,
        submission_ids BIGINT[] NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        objects_total INTEGER NOT NULL,
        objects_done INTEGER NOT NULL DEFAULT 0,
        summary TEXT,
        result JSONB,
        error TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        started_at TIMESTAMPTZ,
        finished_at TIMESTAMPTZ
      );
      CREATE INDEX processing_tasks_by_user ON processing_tasks (user_id, created_at DESC, id);
      CREATE INDEX processing_tasks_open ON processing_tasks (created_at) WHERE status IN ('queued', 'running');
    `,
  },
];
