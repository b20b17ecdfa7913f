/**
 * The job queue: pg-boss (jobs as rows in PostgreSQL, claimed with SELECT … FOR UPDATE SKIP LOCKED, leases, retries
 * with exponential backoff, archived when done), run on the records database itself. It goes through the records'
 * own connection (PostgreSQL pool with timeouts and error handling, or the in-process PGlite), so jobs and records
 * share one database and one failure story.
 */
import PgBoss from 'pg-boss';
import type { Database } from '../records/database.ts';
import type { JobSettings } from './job-settings.ts';

/** The queue validation jobs go to. */
export const VALIDATION_QUEUE = 'validate-submission';

/** Starts pg-boss on `db` (creating or migrating its schema, under its own advisory lock) and the validation queue. */
export async function startJobQueue(db: Database, settings: JobSettings, log: (line: string) => void): Promise<PgBoss> {
  // Replicas starting together on a fresh database may both try to create pg-boss's schema; the loser meets a
  // unique violation in the catalog (PostgreSQL's CREATE ... IF NOT EXISTS is not atomic). By then the schema is
  // there, so a fresh start finds it installed.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(db, settings, log);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 3 || (code !== '23505' && !/duplicate key value/.test(String((error as Error).message)))) throw error;
      log(`job queue: its schema was being created by another instance (${(error as Error).message}); starting again`);
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

async function startOnce(db: Database, settings: JobSettings, log: (line: string) => void): Promise<PgBoss> {
  const boss = new PgBoss({
    db: { executeSql: async (text: string, values?: unknown[]) => ({ rows: await db.query(text, values ?? []) }) },
    // Expired leases are reclaimed by pg-boss's maintenance; it runs as often as our sweep.
    maintenanceIntervalSeconds: Math.max(1, settings.sweepSeconds),
    schedule: false,
    archiveCompletedAfterSeconds: 3600,
  });
  // pg-boss reports failed maintenance (e.g. the database restarting) here; unhandled, it would end the process.
  boss.on('error', (error: Error) => log(`job queue: ${error.message}`));
  try {
    await boss.start();
  } catch (error) {
    await boss.stop({ graceful: false, close: false }).catch(() => undefined);
    throw error;
  }
  await boss.createQueue(VALIDATION_QUEUE, {
    name: VALIDATION_QUEUE,
    policy: 'standard',
    retryLimit: settings.attempts - 1,
    retryDelay: settings.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: settings.leaseSeconds,
  });
  return boss;
}

/**
 * The job id of submission `id`'s validation: derived from it, so sending the same validation twice (a repeated
 * confirm, the sweep) inserts nothing new while the first job exists.
 */
export function validationJobId(id: number): string {
  return `00000000-0000-4000-8000-${id.toString(16).padStart(12, '0')}`;
}
