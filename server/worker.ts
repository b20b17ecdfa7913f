/**
 * `npm run worker` (built: `node dist/server/worker.js`): a process that only runs validation jobs, on the same
 * PostgreSQL (DATABASE_URL) and storage as the servers; start as many as the validation load needs. With the embedded
 * PGlite there is one process, the server, and it runs the jobs itself: a worker on a PGlite folder is refused.
 */
import { loadConfig } from './config.ts';
import { runUntilSignalled } from './process.ts';
import { openRuntime } from './runtime.ts';

await runUntilSignalled('validation worker', async (log) => {
  const config = loadConfig();
  if (!config.databaseUrl) {
    throw new Error('a worker needs DATABASE_URL (a PostgreSQL shared with the servers): with the embedded PGlite, the server runs the validation jobs itself.');
  }
  const runtime = await openRuntime({ ...config, bucketSetup: config.bucketSetup === 'create' ? 'create' : 'check' }, log, true);
  log(`validation worker running (${config.jobs?.concurrency ?? 2} at once), bucket ${config.s3.bucket}`);
  return () => runtime.close();
});
