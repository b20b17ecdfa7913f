/**
 * Starts the reference server from environment variables (see README.md). SIGINT/SIGTERM stop it cleanly.
 */
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { loadConfig, type ServerConfig } from './config.ts';
import { openPglite, openPostgres } from './records/database.ts';
import { migrate } from './records/migrations.ts';
import { SubmissionStore } from './records/submissions.ts';
import { Validator } from './records/validator.ts';
import { createS3Client } from './storage/s3-client.ts';
import { UploadStore } from './storage/upload-store.ts';
import { openSecurityServices } from './security/security-services.ts';

/** A running server. */
export interface RunningServer {
  /** Its base URL, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** The background validator (tests wait on `idle()`). */
  readonly validator: Validator;
  /** Stops accepting connections, lets validation finish, closes the database and the storage client. */
  close(): Promise<void>;
}

/** Starts the server for `config`; resolves once it listens. */
export async function startServer(config: ServerConfig, log: (line: string) => void = () => undefined): Promise<RunningServer> {
  const client = createS3Client(config.s3);
  const store = new UploadStore(client, config.s3.bucket, config.urlExpiresSeconds);
  const db = config.databaseUrl ? await openPostgres(config.databaseUrl) : await openPglite(config.dataDirectory);
  await migrate(db);
  const records = new SubmissionStore(db);
  const validator = new Validator(records, store, log);
  await validator.resumePending();
  const security = await openSecurityServices(db, config.security);
  const app = createApp({ config, services: { store, records, validator, log, security } });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
      resolve({
        url: `http://${config.host}:${info.port}`,
        validator,
        close: async () => {
          await new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive connections would hold the port; requests in flight still get their answers.
            if ('closeIdleConnections' in server) server.closeIdleConnections();
          });
          await validator.idle();
          await db.close();
          client.destroy();
        },
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadConfig();
  const server = await startServer(config, (line) => console.log(`[dropoff] ${line}`));
  console.log(`[dropoff] reference server on ${server.url}, bucket ${config.s3.bucket} at ${config.s3.endpoint || 'AWS S3'}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
