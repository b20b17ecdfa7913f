/**
 * `npm start`: the local stack (s3rver + reference server) and the demo page. Ctrl-C stops all of it within seconds.
 * Ports: DROPOFF_DEMO_PORT (page, 5173), DROPOFF_PORT (server, 8787), DROPOFF_S3RVER_PORT (s3rver, 4569); a taken
 * one is named, with the variable that changes it.
 */
import { createServer } from 'node:net';
import { startDemo } from './stack/demo-stack.ts';

// The AWS SDK's notice that its 2027 releases need Node 22 says nothing about this run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ports = [
  { what: 'the demo page', variable: 'DROPOFF_DEMO_PORT', port: Number(process.env.DROPOFF_DEMO_PORT ?? 5173) },
  { what: 'the reference server', variable: 'DROPOFF_PORT', port: Number(process.env.DROPOFF_PORT ?? 8787) },
  { what: 'the local S3 (s3rver)', variable: 'DROPOFF_S3RVER_PORT', port: Number(process.env.DROPOFF_S3RVER_PORT ?? 4569) },
];
for (const { what, variable, port } of ports) {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${variable}=${process.env[variable]} is not a port number (0 picks a free one).`);
    process.exit(1);
  }
  if (port !== 0 && !(await portFree(port))) {
    console.error(`Port ${port} (${what}) is already taken by another program on 127.0.0.1.\n`
      + `Stop that program, or choose other ports, e.g.  ${variable}=${port + 1} npm start  (0 picks a free port).\n`
      + 'Variables: DROPOFF_DEMO_PORT (demo page, 5173), DROPOFF_PORT (reference server, 8787), DROPOFF_S3RVER_PORT (s3rver, 4569).');
    process.exit(1);
  }
}

let demo: Awaited<ReturnType<typeof startDemo>> | undefined;
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  // Validations in progress are handed back to the queue; nothing may keep Ctrl-C waiting longer than this.
  setTimeout(() => process.exit(0), 5000).unref();
  await demo?.stop();
  process.exit(0);
};
// Installed before anything starts, so that a Ctrl-C during start-up also stops cleanly.
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

try {
  demo = await startDemo({
    page: ports[0]!.port, server: ports[1]!.port, s3: ports[2]!.port,
    // The records and the local S3's data: DROPOFF_DATA_DIR and DROPOFF_S3RVER_DIR, by default under .data/.
    dataDirectory: process.env.DROPOFF_DATA_DIR ?? '.data/pglite', s3rverDirectory: process.env.DROPOFF_S3RVER_DIR ?? '.data/s3rver',
  }, (line) => console.log(`[server] ${line}`));
} catch (error) {
  console.error(`The demo could not start: ${(error as Error).message}`);
  process.exit(1);
}
console.log(`
dropoff-uploader demo is running:
  demo page         ${demo.pageUrl}
  reference server  ${demo.stack.serverUrl}  (token: ${process.env.VITE_DROPOFF_TOKEN})
  local S3 (s3rver) ${demo.stack.s3.endpoint}  bucket "${demo.stack.s3.bucket}", data in ${process.env.DROPOFF_S3RVER_DIR ?? '.data/s3rver'}
Press Ctrl-C to stop.`);

/** Whether `port` can be listened on at 127.0.0.1 now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
