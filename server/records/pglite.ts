/**
 * PGlite, the embedded default database, opened safely and quickly:
 * - a data folder is held by one process only (PGlite is a single-process database): a lock file with the owner's
 *   pid refuses a second server or worker with a message saying what to do instead;
 * - in memory, the cluster is loaded from a template made once (initialising a PGlite cluster costs seconds; loading
 *   a dumped one costs a fraction of a second).
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queryable } from './database.ts';

/** An open PGlite with the operations the records need. */
export interface PgliteHandle extends Queryable {
  /** Runs `work` in one transaction. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Closes the database and releases the folder. */
  close(): Promise<void>;
}

const LOCK_FILE = 'dropoff-owner.lock';

/** Opens PGlite in `directory`, refusing when another live process on this host holds it. */
export async function openPgliteFolder(directory: string): Promise<PgliteHandle> {
  await mkdir(directory, { recursive: true });
  const release = await lockFolder(directory);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite(directory);
    await db.waitReady;
    return handle(db, release);
  } catch (error) {
    await release();
    throw error;
  }
}

/** How an in-memory database is prepared once and saved as a template for the next starts. */
export interface PgliteTemplate {
  /** Names the schema the template holds (changes when migrations or the job queue's schema do). */
  readonly key: string;
  /** Brings a fresh database to that schema. */
  prepare(db: Queryable & { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> }): Promise<void>;
}

/**
 * Opens an in-memory PGlite from the cached template cluster for `template` (made on first use: initialising a
 * cluster and its schema costs seconds; loading a saved one, a fraction of a second).
 */
export async function openPgliteInMemory(template?: PgliteTemplate): Promise<PgliteHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const path = await templatePath(template?.key ?? 'empty');
  const dump = await readFile(path).catch(() => undefined);
  if (dump) {
    const db = new PGlite({ loadDataDir: new Blob([dump]) });
    await db.waitReady;
    return handle(db, async () => undefined);
  }
  const fresh = new PGlite();
  await fresh.waitReady;
  await template?.prepare(handle(fresh, async () => undefined));
  const blob = await fresh.dumpDataDir('none');
  await mkdir(join(path, '..'), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  await writeFile(partial, Buffer.from(await blob.arrayBuffer()));
  await rename(partial, path);
  await fresh.close();
  // Served from the template too, so that the first start behaves as every later one.
  const db = new PGlite({ loadDataDir: blob });
  await db.waitReady;
  return handle(db, async () => undefined);
}

async function templatePath(key: string): Promise<string> {
  // The template is only valid for the PGlite build that made it: name it after the installed module's size and date.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const { size, mtimeMs } = await stat(entry);
  const folder = process.env.DROPOFF_CACHE_DIR ?? join(tmpdir(), 'dropoff-uploader-cache');
  return join(folder, `pglite-${size}-${Math.round(mtimeMs)}-${key.replace(/[^A-Za-z0-9.-]/g, '_')}.tar`);
}

function handle(db: PGlite, release: () => Promise<void>): PgliteHandle {
  const wrap = (q: Pick<PGlite, 'query' | 'exec'> | Transaction): Queryable => ({
    // Without parameters, a script of several statements is allowed (pg-boss sends some): run it as one.
    query: async <T>(sql: string, params: readonly unknown[] = []) => (params.length === 0
      ? ((await q.exec(sql)).at(-1)?.rows ?? []) as T[]
      : (await q.query<T>(sql, [...params])).rows),
    exec: async (sql: string) => void await q.exec(sql),
  });
  return {
    ...wrap(db),
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    close: async () => {
      await db.close();
      await release();
    },
  };
}

/** Takes the folder's lock file; returns its release. Throws when a live process on this host holds it. */
async function lockFolder(directory: string): Promise<() => Promise<void>> {
  const path = join(directory, LOCK_FILE);
  const me = `${process.pid}@${hostname()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(me);
      await file.close();
      return async () => {
        if ((await readFile(path, 'utf8').catch(() => '')) === me) await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = (await readFile(path, 'utf8').catch(() => '')).trim();
      const [pid, host] = owner.split('@');
      if (host === hostname() && pid && isAlive(Number(pid))) {
        throw new Error(`The records folder ${directory} is in use by process ${pid}: the embedded database (PGlite) serves one process. `
          + 'Stop that process, give this one another DROPOFF_DATA_DIR, or set DATABASE_URL to a PostgreSQL that several servers and workers can share.');
      }
      if (host && host !== hostname()) {
        throw new Error(`The records folder ${directory} is held by process ${pid} on host ${host}: PGlite serves one process. Remove ${path} if that process is gone.`);
      }
      // The owner died without releasing the folder: take it over.
      await unlink(path).catch(() => undefined);
    }
  }
  throw new Error(`Could not take the lock ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
