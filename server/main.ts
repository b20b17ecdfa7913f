/**
 * Starts the reference server from environment variables (see README.md): `npm run server`, or built,
 * `node dist/server/main.js`. SIGINT/SIGTERM stop it within seconds: no new jobs are claimed, validations in
 * progress are handed back to the queue.
 */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { loadConfig, type ServerConfig } from './config.ts';
import { openRuntime } from './runtime.ts';
import { runUntilSignalled } from './process.ts';

/** A running server. */
export interface RunningServer {
  /** Its base URL, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** The validation jobs: `idle()` resolves when nothing is VALIDATING (tests), `sweep()` runs a sweep now. */
  readonly validator: { idle(timeoutMs?: number): Promise<void>; sweep(): Promise<void> };
  /** Stops accepting connections, hands back jobs in progress, closes the database and the storage client. */
  close(): Promise<void>;
}

/** Starts the server for `config`; resolves once it listens. Rejects with a clear message when the port is taken. */
export async function startServer(config: ServerConfig, log: (line: string) => void = () => undefined): Promise<RunningServer> {
  const runtime = await openRuntime(config, log, config.runJobs ?? true);
  const app = createApp({ config, services: runtime.services, ready: () => runtime.ready() });
  let server: Server;
  try {
    server = await listen(app.fetch, config.host, config.port);
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    url: `http://${config.host}:${port}`,
    validator: runtime.jobs,
    close: async () => {
      await new Promise<void>((done) => {
        server.close(() => done());
        // Keep-alive connections would hold the port; requests in flight still get their answers, for a second.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
      await runtime.close();
    },
  };
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], hostname: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }) as Server;
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`Port ${port} on ${hostname} is already taken by another program. Stop it, or choose another port with DROPOFF_PORT (0 picks a free one).`));
      } else reject(error);
    });
  });
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  await runUntilSignalled('reference server', async (log) => {
    const config = loadConfig();
    const server = await startServer(config, log);
    log(`reference server on ${server.url}, bucket ${config.s3.bucket} at ${config.s3.endpoint || 'AWS S3'}${config.runJobs === false ? ' (validation left to workers)' : ''}`);
    return () => server.close();
  });
}
