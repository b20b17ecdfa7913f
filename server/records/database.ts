/**
 * The records database: PGlite (PostgreSQL in-process, nothing to install) by default, a PostgreSQL server when
 * DATABASE_URL is set. Both speak the same SQL, so the same migrations and queries serve both.
 */
import { mkdir } from 'node:fs/promises';

/** What the records code needs from a database. */
export interface Database {
  /** Runs one parameterised statement ($1, $2, …) and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Closes connections. */
  close(): Promise<void>;
  /** Which kind, for logs. */
  readonly kind: 'pglite' | 'postgresql';
}

/** Opens PGlite with its data in `directory`, or in memory when it is undefined. */
export async function openPglite(directory?: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (directory) await mkdir(directory, { recursive: true });
  const db = new PGlite(directory);
  await db.waitReady;
  return {
    kind: 'pglite',
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return (await db.query<T>(sql, [...params])).rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    close: () => db.close(),
  };
}

/** Connects to PostgreSQL at `url` (a pool of a few connections). */
export async function openPostgres(url: string): Promise<Database> {
  const { default: pg } = await import('pg');
  // BIGINT (int8) columns hold sizes up to 5 TiB: read them as numbers, not strings.
  pg.types.setTypeParser(20, (value: string) => Number(value));
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  await pool.query('SELECT 1');
  return {
    kind: 'postgresql',
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return (await pool.query(sql, [...params])).rows as T[];
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}
