/**
 * The security tables, as migrations numbered 20..39 (the records own 1..19), applied by server/records/migrations.ts
 * with the others: `uploads` ties every multipart upload id to its user, key and declared size; `rate_limits` holds
 * the rate limiter's counters, so several server instances on one database share them.
 */

/** Migrations of the security tables, oldest first. Never edit one that has shipped: add the next. */
export const SECURITY_MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 20,
    sql: `
      CREATE TABLE uploads (
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
      CREATE INDEX uploads_open_by_user ON uploads (user_id) WHERE closed_at IS NULL;
      CREATE TABLE rate_limits (
        key VARCHAR(255) PRIMARY KEY,
        points INTEGER NOT NULL DEFAULT 0,
        expire BIGINT
      );
    `,
  },
];
