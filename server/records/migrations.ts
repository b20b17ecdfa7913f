/**
 * The records schema, as numbered migrations applied in order once each (the same SQL on PGlite and PostgreSQL).
 */
import type { Database } from './database.ts';
import { STAC_MIGRATIONS } from '../stac/stac-migrations.ts';
import { PROCESSING_MIGRATIONS } from '../processing/migrations.ts';

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
  {
    // Calls safe to retry (a random token per submission, also written into the object's metadata), validation
    // attempts counted, and the latest submission of each key kept in its own table so listing never scans history.
    version: 2,
    sql: `
      ALTER TABLE submissions ADD COLUMN upload_token TEXT;
      ALTER TABLE submissions ADD COLUMN validation_runs INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX submissions_by_token ON submissions (user_id, key, upload_token) WHERE upload_token IS NOT NULL;
      CREATE INDEX submissions_by_upload ON submissions (user_id, key, upload_id) WHERE upload_id IS NOT NULL;
      CREATE INDEX submissions_authorized ON submissions (received_at) WHERE status = 'AUTHORIZED';
      CREATE INDEX submissions_validating_by_user ON submissions (user_id, updated_at) WHERE status = 'VALIDATING';
      CREATE TABLE latest_submissions (
        user_id TEXT NOT NULL,
        key TEXT NOT NULL,
        submission_id BIGINT NOT NULL,
        PRIMARY KEY (user_id, key)
      );
      CREATE INDEX latest_submissions_by_user ON latest_submissions (user_id, submission_id DESC);
      INSERT INTO latest_submissions (user_id, key, submission_id)
        SELECT DISTINCT ON (user_id, key) user_id, key, id FROM submissions ORDER BY user_id, key, id DESC;
      CREATE FUNCTION remember_latest_submission() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO latest_submissions (user_id, key, submission_id) VALUES (NEW.user_id, NEW.key, NEW.id)
          ON CONFLICT (user_id, key) DO UPDATE SET submission_id = GREATEST(latest_submissions.submission_id, EXCLUDED.submission_id);
        RETURN NEW;
      END $$;
      CREATE TRIGGER submissions_latest AFTER INSERT ON submissions FOR EACH ROW EXECUTE FUNCTION remember_latest_submission();
    `,
  },
  // Versions 40..59: the STAC catalog and its asset uploads (server/stac/).
  ...STAC_MIGRATIONS,
  // 60..79: processing tasks (server/processing/migrations.ts).
  ...PROCESSING_MIGRATIONS,
];

/** The advisory lock key migrations run under (any constant; "dropoff" in ASCII). */
const MIGRATION_LOCK = 0x64726f706f6666;

/**
 * Applies the migrations `db` has not seen yet, in one transaction under an advisory lock: replicas starting together
 * on a fresh database wait for each other instead of racing to create the same tables.
 */
export async function migrate(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const applied = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await tx.exec(`${migration.sql}; INSERT INTO schema_migrations (version) VALUES (${migration.version});`);
    }
  });
}
