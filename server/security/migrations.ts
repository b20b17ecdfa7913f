/**
 * The security tables, as migrations numbered 20..39 (the records own 1..19) in the same `schema_migrations` table,
 * applied after the records' migrations: `uploads` ties every multipart upload id to its user, key and declared size;
 * `rate_limits` holds the rate limiter's counters, so several server instances on one database share them.
 */
import type { Database } from '../records/database.ts';

/** The advisory lock the security migrations run under, so replicas starting together do not race ("drop-sec"). */
const SECURITY_MIGRATION_LOCK = 0x64726f702d736563;

/** Migrations of the security tables, oldest first. Never edit one that has shipped: add the next. */
export const SECURITY_MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 20,
    sql: `
      CREATE TABLE IF NOT EXISTS uploads (
        upload_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        key TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('multipart', 'single')),
        declared_size BIGINT,
        part_size BIGINT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at TIMESTAMPTZ,
        closed_at TIMESTAMPTZ
      );
      CREATE INDEX IF NOT EXISTS uploads_open_by_user ON uploads (user_id) WHERE closed_at IS NULL;
      CREATE TABLE IF NOT EXISTS rate_limits (
        key VARCHAR(255) PRIMARY KEY,
        points INTEGER NOT NULL DEFAULT 0,
        expire BIGINT
      );
    `,
  },
];

/**
 * Applies the security migrations `db` has not seen yet; run it after the records' `migrate(db)`, which creates
 * `schema_migrations`. Each runs in one transaction under an advisory lock, and its SQL is idempotent, so two replicas
 * starting on a fresh database both succeed.
 */
export async function migrateSecurity(db: Database): Promise<void> {
  const applied = new Set((await db.query<{ version: number }>('SELECT version FROM schema_migrations WHERE version >= 20')).map((r) => Number(r.version)));
  for (const migration of SECURITY_MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    await db.exec(`BEGIN; SELECT pg_advisory_xact_lock(${SECURITY_MIGRATION_LOCK}); ${migration.sql};
      INSERT INTO schema_migrations (version) VALUES (${migration.version}) ON CONFLICT (version) DO NOTHING; COMMIT;`);
  }
}
