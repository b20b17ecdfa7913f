/**
 * What a server or worker process opens before it does anything: storage clients (with timeouts), the bucket check,
 * the records database (migrated under an advisory lock) and the job queue.
 */
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import type { ServerConfig } from './config.ts';
import { DEFAULT_JOB_SETTINGS, type JobSettings } from './jobs/job-settings.ts';
import { startJobs, type JobRuntime } from './jobs/job-runtime.ts';
import { openPglite, openPostgres, type Database } from './records/database.ts';
import { migrate, MIGRATIONS } from './records/migrations.ts';
import PgBoss from 'pg-boss';
import { startJobQueue } from './jobs/pg-boss.ts';
import { SubmissionStore } from './records/submissions.ts';
import { checkBucket, prepareBucket } from './storage/bucket-setup.ts';
import { createS3Client } from './storage/s3-client.ts';
import { ObjectReader } from './storage/object-reader.ts';
import { UploadStore } from './storage/upload-store.ts';
import { openSecurityServices } from './security/security-services.ts';
import type { Services } from './services.ts';

/** An opened process: services for the routes, the job runtime, and readiness. */
export interface Runtime {
  readonly services: Services;
  readonly jobs: JobRuntime;
  /** Whether the database and the storage answer now (for GET /ready). */
  ready(): Promise<{ database: string; storage: string }>;
  /** Stops the jobs, closes the database and the storage clients. */
  close(): Promise<void>;
}

/** Opens everything `config` names; `work` says whether this process runs validation jobs. */
export async function openRuntime(config: ServerConfig, log: (line: string) => void, work: boolean): Promise<Runtime> {
  const client = createS3Client(config.s3);
  const signer = config.s3.publicEndpoint ? createS3Client(config.s3, true) : client;
  const reader = new ObjectReader(client, config.s3);
  const destroyClients = () => {
    client.destroy();
    reader.destroy();
    if (signer !== client) signer.destroy();
  };
  let db: Database | undefined;
  try {
    await setUpBucket(config, client, log);
    const store = new UploadStore(client, reader, config.s3.bucket, config.urlExpiresSeconds, signer);
    db = config.databaseUrl
      ? await openPostgres(config.databaseUrl, { connectTimeoutMs: config.databaseConnectTimeoutMs, statementTimeoutMs: config.databaseStatementTimeoutMs }, log)
      : await openPglite(config.dataDirectory, {
        // In memory, the migrated schema (ours and the job queue's) is saved once and loaded by later starts.
        key: `schema-${MIGRATIONS.at(-1)!.version}-pgboss-${PgBoss.getConstructionPlans('pgboss').length}`,
        prepare: async (fresh) => {
          const template = { ...fresh, kind: 'pglite' as const, close: async () => undefined };
          await migrate(template);
          const boss = await startJobQueue(template, { ...DEFAULT_JOB_SETTINGS, ...config.jobs }, log);
          await boss.stop({ graceful: false, close: false });
        },
      });
    await migrate(db);
    const records = new SubmissionStore(db);
    // Upload ownership, size limits, quotas, rate limits, cursors and JWTs (its own migrations, under the same lock).
    const security = await openSecurityServices(db, config.security);
    const settings: JobSettings = { ...DEFAULT_JOB_SETTINGS, ...config.jobs };
    const jobs = await startJobs({ db, records, store, settings, urlExpiresSeconds: config.urlExpiresSeconds, work, log });
    const opened = db;
    return {
      services: { store, records, jobs: jobs.jobs, validator: jobs.validator, db, log, security, processing: jobs.processing },
      jobs,
      async ready() {
        const probe = (work: () => Promise<unknown>) => work().then(() => 'ok', (error: unknown) => `unavailable: ${(error as Error).message}`);
        const [database, storage] = await Promise.all([
          probe(() => opened.query('SELECT 1')),
          probe(() => client.send(new HeadBucketCommand({ Bucket: config.s3.bucket }), { abortSignal: AbortSignal.timeout(3000) })),
        ]);
        return { database, storage };
      },
      async close() {
        await jobs.stop();
        await opened.close();
        destroyClients();
      },
    };
  } catch (error) {
    await db?.close().catch(() => undefined);
    destroyClients();
    throw error;
  }
}

async function setUpBucket(config: ServerConfig, client: ReturnType<typeof createS3Client>, log: (line: string) => void): Promise<void> {
  const mode = config.bucketSetup ?? 'check';
  if (mode === 'off') return;
  if (mode === 'create') {
    await prepareBucket(client, config.s3.bucket, config.allowedOrigins);
    return;
  }
  const { problems, warnings } = await checkBucket(client, config.s3.bucket, config.allowedOrigins);
  for (const warning of warnings) log(`storage: ${warning}`);
  if (problems.length > 0) {
    throw new Error(`The storage at ${config.s3.endpoint || 'AWS S3'} is not ready for browser uploads: ${problems.join('; ')}. `
      + 'Create the bucket and its CORS rule (PUT allowed from the page origins, ETag exposed; see README), or start with DROPOFF_BUCKET_SETUP=create to let the server do it.');
  }
}
