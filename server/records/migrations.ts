/**
 * The records schema, as numbered migrations applied in order once each (the same SQL on PGlite and PostgreSQL).
 */
import type { Database } from './database.ts';

/** Every migration, oldest first. Never edit one that has shipped: add the next. */
export const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE submissions (
        id BIGSERIAL PRIMARY KEY,
        user_id TEXT NOT NULL,
        key TEXT NOT NULL,
        category TEXT NOT NULL DEFAULT '',
        upload_id TEXT,
        size BIGINT,
        sha256 TEXT,
        etag TEXT,
        status TEXT NOT NULL CHECK (status IN ('AUTHORIZED', 'VALIDATING', 'ACCEPTED', 'FAILED')),
        message TEXT,
        received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE INDEX submissions_by_user_time ON submissions (user_id, received_at DESC, id DESC);
      CREATE INDEX submissions_by_user_key ON submissions (user_id, key, received_at DESC);
      CREATE INDEX submissions_validating ON submissions (status) WHERE status = 'VALIDATING';
    `,
  },
];

/** Applies the migrations `db` has not seen yet. */
export async function migrate(db: Database): Promise<void> {
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
  const applied = new Set((await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    await db.exec(`BEGIN; ${migration.sql}; INSERT INTO schema_migrations (version) VALUES (${migration.version}); COMMIT;`);
  }
}
