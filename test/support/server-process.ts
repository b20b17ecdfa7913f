/**
 * Reference servers as processes of their own, for the tests that stop, kill and restart them (production.test.ts,
 * process-restart.test.ts): one Ceph RGW and one PostgreSQL shared by every process, and each process started with
 * its settings in the environment, as `npm run server` or `node dist/server/main.js` is.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { startCephRgw, type CephRgw } from '../../scripts/stack/ceph-rgw.ts';
import { startPostgres, type RunningPostgres } from '../../scripts/stack/postgres.ts';
import { prepareBucket } from '../../server/storage/bucket-setup.ts';
import { createS3Client, type S3Settings } from '../../server/storage/s3-client.ts';
import { TEST_TOKENS } from './test-users.ts';

/** A running server (or worker) process. */
export interface Instance {
  /** Its base URL; empty for a worker, which does not listen. */
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  readonly output: () => string;
  /** Its exit code once it exits. */
  readonly exited: Promise<number | null>;
}

/** The storage and database the processes share, and a pool to read the database directly. */
export interface SharedStack {
  readonly ceph: CephRgw;
  readonly postgres: RunningPostgres;
  readonly s3: S3Settings;
  readonly db: pg.Pool;
  /** Stops all of it. */
  stop(): Promise<void>;
}

/** Starts Ceph RGW (1 GiB memstore) with the bucket `dropoff` set up, and PostgreSQL. */
export async function startSharedStack(): Promise<SharedStack> {
  const [ceph, postgres] = await Promise.all([startCephRgw({ memstoreBytes: 1024 ** 3 }), startPostgres()]);
  const s3 = { ...ceph.s3, bucket: 'dropoff' };
  const client = createS3Client(s3);
  await prepareBucket(client, s3.bucket, ['*']);
  client.destroy();
  const db = new pg.Pool({ connectionString: postgres.url, max: 2 });
  db.on('error', () => undefined);
  return {
    ceph, postgres, s3, db,
    stop: async () => {
      await db.end();
      await ceph.stop();
      await postgres.stop();
    },
  };
}

/**
 * The environment of a server on `stack`: our test users, its storage and database, a 10 s job lease with quick
 * retries and sweeps (so that faults resolve within a test), then `extra`.
 */
export function serverEnv(stack: SharedStack, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { s3 } = stack;
  return {
    ...process.env,
    DROPOFF_HOST: '127.0.0.1', DROPOFF_PORT: '0', DROPOFF_TOKENS: TEST_TOKENS,
    S3_ENDPOINT: s3.endpoint, S3_BUCKET: s3.bucket, S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey, S3_FORCE_PATH_STYLE: 'true',
    DATABASE_URL: stack.postgres.url,
    DROPOFF_JOB_LEASE_SECONDS: '10', DROPOFF_JOB_RETRY_DELAY_SECONDS: '1', DROPOFF_SWEEP_SECONDS: '2',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}

/** How long a process may take to say it listens before the test gives up on it (a start-up with migrations takes ~1 s). */
const START_LIMIT_MS = 60_000;
/** How long a process may take to exit after its signal before the test kills it and fails (the server drains in 5 s). */
const STOP_LIMIT_MS = 20_000;

/**
 * Runs `node args` with `env`; resolves once it says where it listens (or, for a worker, that it runs), rejects with
 * its output when it exits first, or after {@link START_LIMIT_MS} (killing it): a test fails naming the process
 * instead of hanging the whole run.
 */
export function spawnServer(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Instance> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => { output += chunk; });
  child.stderr!.on('data', (chunk) => { output += chunk; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const tooSlow = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not say it listens within ${START_LIMIT_MS} ms (killed):\n${output}`));
    }, START_LIMIT_MS);
    const onData = () => {
      const match = /reference server on (http:\/\/\S+),|(validation worker running)/.exec(output);
      if (match) {
        clearTimeout(tooSlow);
        child.stdout!.off('data', onData);
        resolve({ url: match[1] ?? '', child, output: () => output, exited });
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(tooSlow);
      reject(new Error(`server exited (${code}) before listening:\n${output}`));
    });
  });
}

/**
 * Stops `instance` with `signal` (SIGTERM by default) and waits for it to exit; nothing when it already has. A process
 * still running {@link STOP_LIMIT_MS} later is killed and the call fails with its output: a server that does not stop
 * is a bug the test should name, not a hang of the whole run.
 */
export async function stopInstance(instance: Instance | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!instance || instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  instance.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    instance.exited.then(() => 'exited' as const),
    new Promise<'running'>((resolve) => { timer = setTimeout(() => resolve('running'), STOP_LIMIT_MS); }),
  ]);
  clearTimeout(timer);
  if (outcome === 'running') {
    instance.child.kill('SIGKILL');
    await instance.exited;
    throw new Error(`server still running ${STOP_LIMIT_MS} ms after ${signal} (killed):\n${instance.output().slice(-4000)}`);
  }
}
