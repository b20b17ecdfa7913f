/**
 * The records database: PGlite (PostgreSQL in-process, nothing to install) by default, a PostgreSQL server when
 * DATABASE_URL is set. Both speak the same SQL, so the same migrations and queries serve both.
 *
 * Failures of the database itself (refused or dropped connections, a server restarting, a statement past its
 * timeout) surface as {@link ApiError} `database_unavailable` (503, retryable): a client retries, the process lives on.
 */
import { ApiError } from '../errors.ts';
import { openPgliteFolder, openPgliteInMemory, type PgliteTemplate } from './pglite.ts';

/** Runs statements; what a transaction and the database have in common. */
export interface Queryable {
  /** Runs one parameterised statement ($1, $2, …) and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** What the records code needs from a database. */
export interface Database extends Queryable {
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Closes connections. */
  close(): Promise<void>;
  /** Which kind, for logs. */
  readonly kind: 'pglite' | 'postgresql';
}

/** Timeouts of a PostgreSQL connection. */
export interface PostgresTimeouts {
  /** How long opening a connection may take. Default 5 s. */
  readonly connectTimeoutMs?: number;
  /** How long one statement may run (server side and client side). Default 15 s. */
  readonly statementTimeoutMs?: number;
  /** Connections in the pool. Default 10. */
  readonly poolSize?: number;
}

/**
 * Opens PGlite with its data in `directory` (one process per folder), or in memory when it is undefined (from a saved
 * `template` when given).
 */
export async function openPglite(directory?: string, template?: PgliteTemplate): Promise<Database> {
  const db = directory ? await openPgliteFolder(directory) : await openPgliteInMemory(template);
  return {
    kind: 'pglite',
    query: (sql, params = []) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    transaction: (work) => db.transaction(work),
    close: () => db.close(),
  };
}

/** SQLSTATE classes and codes that mean "the database, not the statement, failed": retry later. */
const UNAVAILABLE_CODES = /^(08|57P0[1-4]|53300|57014|55P03|40001|40P01)/;

/** True when `error` says the database is unreachable or restarting, or a statement ran out of time. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && (UNAVAILABLE_CODES.test(e.code) || /^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_AGAIN)$/.test(e.code))) return true;
  return typeof e.message === 'string'
    && /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(e.message);
}

/** Wraps a failure of the database in a 503 the client may retry; other errors pass unchanged. */
function unavailable(error: unknown): unknown {
  if (!isDatabaseUnavailable(error)) return error;
  const detail = (error as Error).message;
  return new ApiError('database_unavailable', `The records database is unavailable (${detail}); try again shortly.`, true, { cause: error });
}

/**
 * Connects to PostgreSQL at `url`: a pool with connect and statement timeouts, whose connection errors are logged
 * (a restart of the database never takes the process down) and answered as `database_unavailable`.
 */
export async function openPostgres(url: string, timeouts: PostgresTimeouts = {}, log: (line: string) => void = () => undefined): Promise<Database> {
  const { default: pg } = await import('pg');
  // BIGINT (int8) columns hold sizes up to 5 TiB: read them as numbers, not strings.
  pg.types.setTypeParser(20, (value: string) => Number(value));
  const statementTimeoutMs = timeouts.statementTimeoutMs ?? 15_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: timeouts.poolSize ?? 10,
    connectionTimeoutMillis: timeouts.connectTimeoutMs ?? 5_000,
    statement_timeout: statementTimeoutMs,
    // A server that accepts the connection but never answers is caught by the client-side timeout.
    query_timeout: statementTimeoutMs + 2_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // An idle connection dropped by the server (restart, failover) emits here; without a listener Node would exit.
  pool.on('error', (error) => log(`database connection lost: ${error.message}`));
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw unavailable(error);
    }
  };
  await guard(() => pool.query('SELECT 1'));
  return {
    kind: 'postgresql',
    query: <T>(sql: string, params: readonly unknown[] = []) => guard(async () => (await pool.query(sql, [...params])).rows as T[]),
    exec: (sql) => guard(async () => void await pool.query(sql)),
    transaction: (work) => guard(async () => {
      const client = await pool.connect();
      let broken: Error | undefined;
      const onError = (error: Error) => { broken = error; };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          query: async <T>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, [...params])).rows as T[],
          exec: async (sql) => void await client.query(sql),
        };
        const result = await work(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        broken ??= isDatabaseUnavailable(error) ? error as Error : undefined;
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    }),
    close: () => pool.end(),
  };
}
